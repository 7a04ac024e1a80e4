//! The wire shape of a page.

use poem_openapi::Object;

use crate::kernel::pagination::Page;

/// Where a page sits in the whole list.
#[derive(Object, Clone, Debug, PartialEq, Eq)]
pub struct PageMeta {
    /// This page's number, from 1.
    pub page: u64,
    /// Items per page.
    pub per_page: u64,
    /// Items in the whole list.
    pub total: u64,
    /// Pages in the whole list.
    pub total_pages: u64,
}

impl PageMeta {
    pub fn of<T>(page: &Page<T>) -> Self {
        PageMeta {
            page: page.request.page,
            per_page: page.request.per_page,
            total: page.total,
            total_pages: page.total_pages(),
        }
    }
}

/// A page's items as DTOs, with its meta.
pub fn items_and_meta<T, D>(page: Page<T>, f: impl FnMut(T) -> D) -> (Vec<D>, PageMeta) {
    let meta = PageMeta::of(&page);
    (page.items.into_iter().map(f).collect(), meta)
}
