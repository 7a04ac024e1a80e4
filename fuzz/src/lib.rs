//! The pure modules of Wenji, compiled on their own for fuzzing.
//!
//! `src/decisions/{splitter,diff}.rs` and `src/kernel/{text,codes}.rs` depend on nothing in the
//! crate but the `vocabulary!` macro, so they are included here by path rather than by depending
//! on `wenji`: the fuzz build then needs only `libfuzzer-sys` and `rand` and compiles in seconds,
//! instead of building sea-orm, poem and the rest with sanitizer flags. It also keeps these
//! modules pure: if one of them starts using the database or HTTP layer, this build breaks.

/// Same input syntax as `wenji::vocabulary!` (src/kernel/vocabulary.rs), without the sea-orm
/// and poem-openapi derives: a plain enum with `ALL`, `as_str`, `parse` and `Display`, which is
/// all the included modules use.
#[macro_export]
macro_rules! vocabulary {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[$vm])* $variant),+
        }

        impl $name {
            /// Every value, in the order of the definition.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name: stored in the database and sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[path = "../../src/decisions/splitter.rs"]
pub mod splitter;

#[path = "../../src/decisions/diff.rs"]
pub mod diff;

#[path = "../../src/kernel/text.rs"]
pub mod text;

#[path = "../../src/kernel/codes.rs"]
pub mod codes;
