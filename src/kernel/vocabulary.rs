//! Each closed set of values (a status, a category, a role) is defined once, with
//! [`vocabulary!`]: the Rust enum, the string it is stored as (through sea-orm's active
//! enums, so an unknown stored value is a database error, never a silent default), and its
//! schema in the API spec (poem-openapi), from which the frontend's types are generated.

/// Defines an enum whose variants are stored and sent as the given strings.
///
/// ```text
/// wenji::vocabulary! {
///     /// Who is commenting.
///     pub enum Category { Individual = "individual", Company = "company" }
/// }
/// ```
#[macro_export]
macro_rules! vocabulary {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            sea_orm::EnumIter, sea_orm::DeriveActiveEnum, poem_openapi::Enum,
        )]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        $vis enum $name {
            $($(#[$vm])* #[sea_orm(string_value = $s)] #[oai(rename = $s)] $variant),+
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

#[cfg(test)]
mod tests {
    use sea_orm::ActiveEnum;

    crate::vocabulary! {
        /// A test vocabulary.
        enum Colour { Red = "red", DarkBlue = "dark_blue" }
    }

    #[test]
    fn one_definition_serves_storage_and_the_wire() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(*c));
            assert_eq!(c.to_value(), c.as_str());
            assert_eq!(Colour::try_from_value(&c.as_str().to_string()).ok(), Some(*c));
            assert_eq!(poem_openapi::types::ToJSON::to_json(c), Some(serde_json::json!(c.as_str())));
        }
        assert_eq!(Colour::DarkBlue.as_str(), "dark_blue");
    }

    #[test]
    fn an_unknown_stored_value_is_an_error() {
        assert!(Colour::try_from_value(&"green".to_string()).is_err());
        assert_eq!(Colour::parse("green"), None);
    }
}
