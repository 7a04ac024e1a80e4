//! Page-number pagination: what a list operation asks for and what it answers.

pub const DEFAULT_PER_PAGE: u64 = 50;
pub const MAX_PER_PAGE: u64 = 200;
pub const MAX_PAGE: u64 = 1_000_000;

/// A requested page, already held to the limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

    /// This page of an in-memory list (for short lists such as the agency tree).
    pub fn slice<T>(&self, items: Vec<T>) -> Page<T> {
        let total = items.len() as u64;
        let items = items.into_iter().skip(self.offset() as usize).take(self.per_page as usize).collect();
        Page { items, total, request: *self }
    }

    /// A page whose items were fetched already, out of `total`.
    pub fn page<T>(&self, items: Vec<T>, total: u64) -> Page<T> {
        Page { items, total, request: *self }
    }
}

/// One page of a list, and where it sits in the whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Items in the whole list.
    pub total: u64,
    pub request: PageRequest,
}

impl<T> Page<T> {
    pub fn total_pages(&self) -> u64 {
        self.total.div_ceil(self.request.per_page)
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), total: self.total, request: self.request }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        let p = PageRequest::new(Some(2), Some(3));
        let page = p.slice(vec![1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(page.items, vec![4, 5, 6]);
        assert_eq!((page.total, page.total_pages()), (7, 3));
        assert!(PageRequest::new(Some(99), Some(3)).slice(vec![1, 2]).items.is_empty());
        assert_eq!(PageRequest::new(Some(0), Some(100_000)).per_page, MAX_PER_PAGE);
        assert_eq!(PageRequest::new(Some(u64::MAX), Some(200)).page, MAX_PAGE);
        assert_eq!(PageRequest::new(Some(MAX_PAGE), Some(MAX_PER_PAGE)).offset(), (MAX_PAGE - 1) * MAX_PER_PAGE);
    }
}
