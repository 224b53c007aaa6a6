//! The domain's vocabulary: typed ids and instants, the enums everything
//! stored is made of, values that parse rather than validate, availability,
//! and what the event log records. Pure; no I/O.

/// An enum stored and sent as text: each variant names its one spelling,
/// used by serde (the wire), by sqlx (the database) and by `as_str`/`parse`.
/// Reading an unknown spelling back from the database is a decode error,
/// never a default.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type))]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $text)]
                #[cfg_attr(feature = "ssr", sqlx(rename = $text))]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        // Written by hand: the derive does not see the spellings through the
        // macro's `literal` fragments and would document the variant names
        // (which the API never sends).
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

pub mod appointment;
pub mod event;
pub mod hours;
pub mod ids;
pub mod jobs;
pub mod messages;
pub mod money;
pub mod parse;
pub mod payments;
pub mod preferences;
#[cfg(any(feature = "ssr", test))]
pub mod slots;
pub mod staff;
pub mod time;
pub mod video;
pub mod webhooks;

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::staff::StoreRole;
    use utoipa::PartialSchema;

    #[test]
    fn the_api_documents_the_spellings_it_sends() {
        let schema = serde_json::to_value(StoreRole::schema()).unwrap();
        let sent: Vec<String> = StoreRole::ALL
            .iter()
            .map(|r| serde_json::to_value(r).unwrap().as_str().unwrap().to_string())
            .collect();
        assert_eq!(schema["enum"], serde_json::json!(sent));
        assert_eq!(sent, ["manager", "associate"]);
    }
}
