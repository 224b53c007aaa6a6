//! The one error type of every server function. It crosses the wire as JSON,
//! so the browser shows field messages next to the right inputs, and each
//! variant maps to an HTTP status (set on the response by `set_response_status`).

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// 422: the input was understood but some fields are wrong.
    #[error("{message}")]
    Invalid { message: String, fields: Vec<FieldError> },
    /// 400: the request itself is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// 401
    #[error("Please sign in.")]
    Unauthorized,
    /// 403
    #[error("{0}")]
    Forbidden(String),
    /// 404
    #[error("{0}")]
    NotFound(String),
    /// 409: the request conflicts with the current state (a slot just taken).
    #[error("{0}")]
    Conflict(String),
    /// 409 on the booking form: the slot went to someone else first.
    #[error("Sorry, that time was just taken. Please choose another time.")]
    SlotTaken,
    /// 429: too many attempts; the answer carries `Retry-After`.
    #[error("Too many attempts. Please wait {retry_after_s} seconds and try again.")]
    TooManyRequests { retry_after_s: i64 },
    /// 500: details are logged on the server, never sent.
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The browser could not reach the server.
    #[error("Could not reach Frontdesk: {0}")]
    Network(String),
    /// 502: a provider Frontdesk called (payments) refused or could not be reached; says which and why.
    #[error("{0}")]
    Upstream(String),
}

impl AppError {
    pub fn invalid(fields: Vec<FieldError>) -> Self {
        let message = if fields.len() == 1 {
            fields[0].message.clone()
        } else {
            "Please correct the highlighted fields.".to_string()
        };
        AppError::Invalid { message, fields }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::invalid(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// The message for one form field, if this error has one.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid { fields, .. } => fields.iter().find(|f| f.field == field).map(|f| f.message.clone()),
            AppError::SlotTaken if field == "slot" => Some(self.to_string()),
            _ => None,
        }
    }

    /// The first message for a field under `prefix` ("attendees" covers
    /// "attendees.1.email"), naming which entry it is about.
    pub fn field_message_prefixed(&self, prefix: &str) -> Option<String> {
        match self {
            AppError::Invalid { fields, .. } => fields.iter().find(|f| f.field.starts_with(prefix)).map(|f| {
                match f.field.split('.').nth(1).and_then(|i| i.parse::<usize>().ok()) {
                    Some(i) => format!("Person {}: {}", i + 1, f.message),
                    None => f.message.clone(),
                }
            }),
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } => 422,
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) | AppError::SlotTaken => 409,
            AppError::TooManyRequests { .. } => 429,
            AppError::Internal => 500,
            AppError::Network(_) => 503,
            AppError::Upstream(_) => 502,
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Gives the HTTP response of the current server function the status that matches this error.
    pub fn set_response_status(&self) {
        use leptos::prelude::use_context;
        if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
            if let AppError::TooManyRequests { retry_after_s } = self {
                opts.insert_header(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(*retry_after_s));
            }
            opts.set_status(axum::http::StatusCode::from_u16(self.status()).unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR));
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request body did not decode: the caller's fault, not ours.
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => {
                let e = AppError::BadRequest(format!("The request could not be read: {m}"));
                #[cfg(feature = "ssr")]
                e.set_response_status();
                e
            }
            // On the server, a deserialisation failure can only be the request body.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(m) => {
                let e = AppError::BadRequest(format!("The request could not be read: {m}"));
                e.set_response_status();
                e
            }
            ServerFnErrorErr::Request(m) => AppError::Network(m),
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!("server function failure: {other}");
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!("database error: {e}");
        AppError::Internal
    }
}
