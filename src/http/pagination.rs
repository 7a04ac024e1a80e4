//! Page-number pagination shared by list operations.

use poem_openapi::Object;

pub const DEFAULT_PER_PAGE: u64 = 50;
pub const MAX_PER_PAGE: u64 = 200;
pub const MAX_PAGE: u64 = 1_000_000;

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

/// A requested page, already checked against the limits.
#[derive(Clone, Copy, Debug)]
pub struct PageRequest {
    pub page: u64,
    pub per_page: u64,
}

impl PageRequest {
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> Self {
        PageRequest {
            page: page.unwrap_or(1).clamp(1, MAX_PAGE),
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE),
        }
    }

    pub fn offset(&self) -> u64 {
        (self.page - 1).saturating_mul(self.per_page)
    }

    pub fn meta(&self, total: u64) -> PageMeta {
        PageMeta { page: self.page, per_page: self.per_page, total, total_pages: total.div_ceil(self.per_page) }
    }

    /// Slices an in-memory list (for short lists such as the agency tree).
    pub fn slice<T: Clone>(&self, items: &[T]) -> (Vec<T>, PageMeta) {
        let start = (self.offset() as usize).min(items.len());
        let end = start.saturating_add(self.per_page as usize).min(items.len());
        (items[start..end].to_vec(), self.meta(items.len() as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        let p = PageRequest::new(Some(2), Some(3));
        let (items, meta) = p.slice(&[1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(items, vec![4, 5, 6]);
        assert_eq!(meta, PageMeta { page: 2, per_page: 3, total: 7, total_pages: 3 });
        let (items, _) = PageRequest::new(Some(99), Some(3)).slice(&[1, 2]);
        assert!(items.is_empty());
        assert_eq!(PageRequest::new(Some(0), Some(100_000)).per_page, MAX_PER_PAGE);
        assert_eq!(PageRequest::new(Some(u64::MAX), Some(200)).page, MAX_PAGE);
    }
}
