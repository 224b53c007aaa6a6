//! `/docs/api`: the integration REST API, `/api/v1`. Written from
//! `server::api_v1`; change both together.

use super::FieldTable;
use leptos::prelude::*;

/// The page's `<main>`; `super::document` puts it in an HTML document.
#[component]
pub fn ApiDocsPage() -> impl IntoView {
    view! {
        <main class="docs">
            <ApiIntro />
            <ApiErrors />
            <ApiAppointments />
            <ApiWebhookEndpoints />
            <ApiDeliveries />
        </main>
    }
}

#[component]
fn ApiIntro() -> impl IntoView {
    view! {
        <h1>"REST API"</h1>
        <p>
            "The integration API lets outside tools read, book, change and cancel appointments, and manage webhook endpoints. "
            "Changes made through it follow the same rules as the staff app: staff notifications, client messages and "
            <a href="/docs/webhooks">"webhooks"</a> " (with " <code>"modifiedBy"</code> " " <code>"staff"</code> ") go out as usual."
        </p>
        <ul>
            <li>"Base path: " <code>"/api/v1"</code> " on your Frontdesk address. Bodies are JSON; send " <code>"Content-Type: application/json"</code> " with every body."</li>
            <li>"Times are Unix seconds (UTC) as integers; ids are integers."</li>
            <li>
                "The OpenAPI 3.1 description is at " <a href="/api/openapi.json" rel="external">
                    <code>"/api/openapi.json"</code>
                </a> ", for generating clients or importing into an API tool."
            </li>
        </ul>
        <h2>"Authentication"</h2>
        <p>
            "An administrator creates an API key on the " <a href="/staff/integrations">"Integrations page"</a>
            ". The key starts with " <code>"fdk_"</code>
            " and is shown once, when it is created: store it in your secret manager. Send it on every request:"
        </p>
        <pre>
            <code>
                "curl https://frontdesk.example.com/api/v1/appointments \\\n  -H \"Authorization: Bearer $FRONTDESK_API_KEY\""
            </code>
        </pre>
        <p>
            "A key acts as the administrator who created it and sees every store. It stops working when it is revoked on the Integrations page (401), "
            "or when its creator is no longer an administrator (403)."
        </p>
        <h2>"Pagination"</h2>
        <p>
            <code>"GET /api/v1/appointments"</code> " returns appointments by increasing id, " <code>"limit"</code>
            " at a time (default 50, at most 200), with " <code>"next_after_id"</code>
            ". Pass it as " <code>"after_id"</code> " to get the next page; it is " <code>"null"</code> " on the last page."
        </p>
        <p>
            "The delivery log returns the 50 newest deliveries first. Pass the smallest " <code>"id"</code> " you received as "
            <code>"before_id"</code> " to get older ones; an empty list means there are no more."
        </p>
    }
}

/// (code, HTTP status, when)
const ERROR_CODES: &[(&str, &str, &str)] = &[
    (
        "bad_request",
        "400",
        "The request is malformed: JSON that does not parse, no JSON content type, a bad query string, an id that is not a number.",
    ),
    (
        "unauthorized",
        "401",
        "No key, an unknown key or a revoked key. The answer has WWW-Authenticate: Bearer.",
    ),
    ("forbidden", "403", "The key's creator is no longer an administrator."),
    ("not_found", "404", "No such appointment, client, endpoint or delivery."),
    (
        "conflict",
        "409",
        "The request does not fit the current state: the appointment is cancelled or completed, or the endpoint is disabled.",
    ),
    ("slot_taken", "409", "The time asked for was just taken. Choose another."),
    (
        "invalid",
        "422",
        "Some fields are wrong; fields lists each one. JSON of the wrong shape (a missing required field, a string for a number) is \
         reported on the field body.",
    ),
    ("internal", "500", "Something went wrong on Frontdesk's side. Try again later."),
];

#[component]
fn ApiErrors() -> impl IntoView {
    view! {
        <h2>"Errors"</h2>
        <p>"Every error has a JSON body:"</p>
        <pre>
            <code>{ERROR_EXAMPLE}</code>
        </pre>
        <p>
            <code>"code"</code> " is stable and meant for programs; " <code>"message"</code> " is a sentence for people. "
            <code>"fields"</code> " is empty except for " <code>"invalid"</code>
            ". Field names are those of the request: a body field (" <code>"starts_at"</code> ", " <code>"service_id"</code> ", " <code>"oauth.token_url"</code> "), a query parameter, or " <code>"body"</code> " when the JSON itself does not fit."
        </p>
        <table>
            <thead>
                <tr>
                    <th scope="col">"code"</th>
                    <th scope="col">"HTTP status"</th>
                    <th scope="col">"When"</th>
                </tr>
            </thead>
            <tbody>
                {ERROR_CODES
                    .iter()
                    .map(|(code, status, when)| {
                        view! {
                            <tr>
                                <td>
                                    <code>{*code}</code>
                                </td>
                                <td>{*status}</td>
                                <td>{*when}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

const ERROR_EXAMPLE: &str = r#"HTTP/1.1 422 Unprocessable Entity
Content-Type: application/json

{
  "error": {
    "code": "invalid",
    "message": "Please choose a service of this store.",
    "fields": [
      { "field": "service", "message": "Please choose a service of this store." }
    ]
  }
}"#;

/// One route: method and path, what it does, its fields, an example.
#[component]
fn ApiRoute(method: &'static str, path: &'static str, curl: &'static str, children: Children) -> impl IntoView {
    view! {
        <h3>
            <span class="method">{method}</span>
            " "
            <code>{path}</code>
        </h3>
        {children()}
        <pre>
            <code>{curl}</code>
        </pre>
    }
}

const APPOINTMENT_FIELDS: &[(&str, &str, &str)] = &[
    ("id", "integer", "The appointment's id (booking.id in webhooks)."),
    ("store_id", "integer", "Its store."),
    ("store_name", "string", "The store's name."),
    ("client_id", "integer", "The client."),
    ("client_name", "string", "The client's name."),
    ("client_email", "string or null", "The client's email address."),
    ("client_mobile", "string or null", "The client's mobile number."),
    ("service_id", "integer", "The service booked."),
    ("service", "string", "The service's name."),
    ("duration_min", "integer", "Length in minutes."),
    ("starts_at", "integer", "Start, Unix seconds (UTC)."),
    (
        "associate_id",
        "integer or null",
        "The associate; null while a request has not been given to anyone.",
    ),
    ("associate_name", "string or null", "The associate's name."),
    (
        "status",
        "string",
        "PendingStaffApproval, Approved, PendingClientApproval or Cancelled.",
    ),
    ("presence", "string", "Expecting or NoShow."),
    ("completed", "boolean", "Marked as completed."),
    ("client_communication", "string", "DoNotSend, ClientOnly or ClientAndAttendees."),
    ("source", "string", "online (the client booked) or staff."),
    ("notes", "string", "Notes (additionalRequest in webhooks)."),
    (
        "cancel_reason",
        "string",
        "Why it was cancelled, when it was and a reason was given.",
    ),
    (
        "version",
        "integer",
        "Goes up by one with every change (content.version in webhooks).",
    ),
    ("created_at", "integer", "When it was booked, Unix seconds."),
];

const LIST_QUERY: &[(&str, &str, &str)] = &[
    ("store_id", "integer", "Only this store."),
    (
        "status",
        "string",
        "Only this status: PendingStaffApproval, Approved, PendingClientApproval or Cancelled.",
    ),
    ("client_id", "integer", "Only this client."),
    ("from", "integer", "Starting at or after this time (Unix seconds)."),
    ("to", "integer", "Starting before this time (Unix seconds)."),
    (
        "after_id",
        "integer",
        "Only ids greater than this: the next_after_id of the previous page.",
    ),
    ("limit", "integer", "1 to 200, default 50."),
];

const NEW_APPOINTMENT: &[(&str, &str, &str)] = &[
    (
        "client_id",
        "integer, required",
        "An existing client; the appointment is made at the client's store.",
    ),
    ("service_id", "integer, required", "An active service of that store."),
    (
        "associate_id",
        "integer",
        "An associate of that store; leave it out to book without one.",
    ),
    (
        "starts_at",
        "integer, required",
        "Unix seconds: a free time of the store for this service (and associate).",
    ),
    ("notes", "string", "Notes for the store; default empty."),
    (
        "client_communication",
        "string",
        "DoNotSend, ClientOnly (default) or ClientAndAttendees.",
    ),
    (
        "ask_client_to_confirm",
        "boolean",
        "Book it as PendingClientApproval: the client confirms from their tracking page. Default false (Approved).",
    ),
];

const PATCH_APPOINTMENT: &[(&str, &str, &str)] = &[
    ("starts_at", "integer", "A new start, Unix seconds; must be free."),
    ("service_id", "integer", "Another service of the store."),
    ("associate_id", "integer", "Another associate of the store. It cannot be removed."),
    ("notes", "string", "Replaces the notes."),
    ("client_communication", "string", "DoNotSend, ClientOnly or ClientAndAttendees."),
    (
        "ask_client_to_confirm",
        "boolean",
        "Ask the client to confirm this change: the status becomes PendingClientApproval.",
    ),
];

#[component]
fn ApiAppointments() -> impl IntoView {
    view! {
        <h2>"Appointments"</h2>
        <p>"Every appointment route answers with appointments of this shape:"</p>
        <FieldTable rows=APPOINTMENT_FIELDS />
        <ApiRoute
            method="GET"
            path="/api/v1/appointments"
            curl="curl 'https://frontdesk.example.com/api/v1/appointments?store_id=1&status=Approved&limit=100' \\\n  -H \"Authorization: Bearer $FRONTDESK_API_KEY\""
        >
            <p>
                "Lists appointments, by increasing id. Answers " <code>"{\"data\": [appointment, …], \"next_after_id\": 1042}"</code>
                ". Query parameters, all optional:"
            </p>
            <FieldTable rows=LIST_QUERY first="Parameter" />
        </ApiRoute>
        <ApiRoute
            method="GET"
            path="/api/v1/appointments/{id}"
            curl="curl https://frontdesk.example.com/api/v1/appointments/1042 \\\n  -H \"Authorization: Bearer $FRONTDESK_API_KEY\""
        >
            <p>"One appointment."</p>
        </ApiRoute>
        <ApiRoute method="POST" path="/api/v1/appointments" curl=CURL_CREATE>
            <p>
                "Books an appointment for an existing client, as staff would (source " <code>"staff"</code>
                "). Answers 201 with the appointment; sends " <code>"appointment.created"</code>
                ". A time the store does not offer gives 422 on " <code>"starts_at"</code> "; a time already booked gives 409 "
                <code>"slot_taken"</code> "."
            </p>
            <FieldTable rows=NEW_APPOINTMENT />
        </ApiRoute>
        <ApiRoute method="PATCH" path="/api/v1/appointments/{id}" curl=CURL_PATCH>
            <p>
                "Changes an appointment; only the fields given change. Answers 200 with the appointment and sends "
                <code>"appointment.updated"</code> " (nothing when nothing changed). 409 when it is cancelled or completed."
            </p>
            <FieldTable rows=PATCH_APPOINTMENT />
        </ApiRoute>
        <ApiRoute method="POST" path="/api/v1/appointments/{id}/cancel" curl=CURL_CANCEL>
            <p>
                "Cancels an appointment for the store. Body: " <code>"reason"</code>
                " (string, optional, up to 500 characters); send " <code>"{}"</code>
                " for none. Answers 200 with the appointment; sends " <code>"appointment.status_updated"</code> " and "
                <code>"appointment.canceled"</code> ". 409 when it is already cancelled or completed."
            </p>
        </ApiRoute>
    }
}

const CURL_CREATE: &str = r#"curl https://frontdesk.example.com/api/v1/appointments \
  -H "Authorization: Bearer $FRONTDESK_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{"client_id": 7, "service_id": 3, "associate_id": 14, "starts_at": 1773135000,
       "notes": "Booked by phone", "ask_client_to_confirm": true}'"#;

const CURL_PATCH: &str = r#"curl -X PATCH https://frontdesk.example.com/api/v1/appointments/1042 \
  -H "Authorization: Bearer $FRONTDESK_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{"starts_at": 1773138600}'"#;

const CURL_CANCEL: &str = r#"curl https://frontdesk.example.com/api/v1/appointments/1042/cancel \
  -H "Authorization: Bearer $FRONTDESK_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{"reason": "The client called to cancel"}'"#;

const ENDPOINT_INPUT: &[(&str, &str, &str)] = &[
    ("store_id", "integer, required", "The store whose events it receives."),
    (
        "url",
        "string, required",
        "https URL on the public internet, up to 2000 characters.",
    ),
    ("method", "string", "POST (default) or PUT."),
    (
        "event_types",
        "array of strings, required",
        "At least one event type (see the webhook reference).",
    ),
    ("description", "string", "A note for admins, up to 200 characters."),
    ("signing", "boolean", "Sign with Standard Webhooks; default true."),
    ("enabled", "boolean", "On PUT: true turns a disabled endpoint back on."),
    ("header_name", "string", "A static header sent with every request."),
    (
        "header_value",
        "string",
        "Its value, up to 1000 printable characters. Never returned.",
    ),
    ("oauth", "object", "OAuth2 client credentials; leave out for none."),
    ("oauth.token_url", "string", "The token endpoint (same address rules as url)."),
    ("oauth.client_id", "string", "The client id."),
    ("oauth.client_secret", "string", "The client secret. Never returned."),
    ("oauth.scope", "string", "Optional scope."),
];

const ENDPOINT_VIEW: &[(&str, &str, &str)] = &[
    ("id", "integer", "The endpoint's id."),
    ("store_id", "integer", "Its store."),
    ("url", "string", "Where requests go."),
    ("method", "string", "POST or PUT."),
    ("event_types", "array of strings", "The types it receives."),
    ("description", "string", "The admins' note."),
    ("enabled", "boolean", "false once disabled (410, or five days of failures)."),
    ("disabled_reason", "string", "Why it was disabled; empty otherwise."),
    (
        "signing_secret",
        "string or null",
        "The whsec_ secret to verify signatures with; null when signing is off.",
    ),
    (
        "previous_secret_active",
        "boolean",
        "The secret before the last rotation still signs (for 24 hours).",
    ),
    (
        "header_name",
        "string or null",
        "The static header's name (its value is not returned).",
    ),
    ("oauth_token_url", "string or null", "The OAuth2 token URL."),
    (
        "oauth_client_id",
        "string or null",
        "The OAuth2 client id (the secret is not returned).",
    ),
    ("oauth_scope", "string or null", "The OAuth2 scope."),
    ("created_at", "integer", "Unix seconds."),
];

#[component]
fn ApiWebhookEndpoints() -> impl IntoView {
    view! {
        <h2>"Webhook endpoints"</h2>
        <p>
            "What the Integrations page does with " <a href="/docs/webhooks">"webhook endpoints"</a>
            ". An endpoint is given in this shape:"
        </p>
        <FieldTable rows=ENDPOINT_INPUT />
        <p>"and returned in this one:"</p>
        <FieldTable rows=ENDPOINT_VIEW />
        <ApiRoute
            method="GET"
            path="/api/v1/webhooks/endpoints"
            curl="curl https://frontdesk.example.com/api/v1/webhooks/endpoints \\\n  -H \"Authorization: Bearer $FRONTDESK_API_KEY\""
        >
            <p>"Every endpoint, as an array."</p>
        </ApiRoute>
        <ApiRoute method="POST" path="/api/v1/webhooks/endpoints" curl=CURL_ENDPOINT_CREATE>
            <p>
                "Creates an endpoint. Answers 201 with it, including " <code>"signing_secret"</code>
                " when signing is on. The URL is checked (https, public address) before saving."
            </p>
        </ApiRoute>
        <ApiRoute
            method="GET"
            path="/api/v1/webhooks/endpoints/{id}"
            curl="curl https://frontdesk.example.com/api/v1/webhooks/endpoints/2 \\\n  -H \"Authorization: Bearer $FRONTDESK_API_KEY\""
        >
            <p>"One endpoint."</p>
        </ApiRoute>
        <ApiRoute method="PUT" path="/api/v1/webhooks/endpoints/{id}" curl=CURL_ENDPOINT_PUT>
            <p>
                "Replaces all of the endpoint's settings with the body (same fields as creating). Since "
                <code>"header_value"</code> " and " <code>"oauth.client_secret"</code>
                " are never returned: name the same header (or the same OAuth2 client id) without its secret to keep the stored one; \
                 a header or OAuth2 setting left out is removed. "
                "The signing secret stays while " <code>"signing"</code> " stays on. Send " <code>"\"enabled\": true"</code>
                " to turn a disabled endpoint back on."
            </p>
        </ApiRoute>
        <ApiRoute
            method="DELETE"
            path="/api/v1/webhooks/endpoints/{id}"
            curl="curl -X DELETE https://frontdesk.example.com/api/v1/webhooks/endpoints/2 \\\n  -H \"Authorization: Bearer $FRONTDESK_API_KEY\""
        >
            <p>"Deletes the endpoint with its delivery log. Answers 204."</p>
        </ApiRoute>
        <ApiRoute
            method="POST"
            path="/api/v1/webhooks/endpoints/{id}/rotate-secret"
            curl="curl -X POST https://frontdesk.example.com/api/v1/webhooks/endpoints/2/rotate-secret \\\n  -H \"Authorization: Bearer $FRONTDESK_API_KEY\""
        >
            <p>
                "Creates a new signing secret and answers 200 with the endpoint, showing it. The old secret keeps signing alongside for 24 hours."
            </p>
        </ApiRoute>
        <ApiRoute
            method="POST"
            path="/api/v1/webhooks/endpoints/{id}/test"
            curl="curl -X POST https://frontdesk.example.com/api/v1/webhooks/endpoints/2/test \\\n  -H \"Authorization: Bearer $FRONTDESK_API_KEY\""
        >
            <p>
                "Sends a " <code>"webhook.test"</code> " request to this endpoint. Answers 202 with "
                <code>"{\"delivery_id\": 981}"</code> "; follow it in the delivery log."
            </p>
        </ApiRoute>
    }
}

const CURL_ENDPOINT_CREATE: &str = r#"curl https://frontdesk.example.com/api/v1/webhooks/endpoints \
  -H "Authorization: Bearer $FRONTDESK_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{"store_id": 1, "url": "https://hooks.example.com/frontdesk",
       "event_types": ["appointment.created", "appointment.updated", "appointment.status_updated"],
       "description": "CRM sync"}'"#;

const CURL_ENDPOINT_PUT: &str = r#"curl -X PUT https://frontdesk.example.com/api/v1/webhooks/endpoints/2 \
  -H "Authorization: Bearer $FRONTDESK_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{"store_id": 1, "url": "https://hooks.example.com/frontdesk", "method": "POST",
       "event_types": ["appointment.created", "appointment.updated", "appointment.status_updated", "appointment.remind"],
       "description": "CRM sync", "enabled": true,
       "oauth": {"token_url": "https://auth.example.com/oauth/token", "client_id": "frontdesk",
                 "client_secret": "…", "scope": "webhooks"}}'"#;

const DELIVERY_VIEW: &[(&str, &str, &str)] = &[
    ("id", "integer", "The delivery's id."),
    ("endpoint_id", "integer", "Its endpoint."),
    ("msg_id", "string", "The webhook-id header: the same on every attempt."),
    ("event_type", "string", "The event type."),
    ("status", "string", "pending, succeeded or failed."),
    ("attempt_count", "integer", "Attempts made so far."),
    (
        "next_attempt_at",
        "integer or null",
        "When the next attempt is due (Unix seconds); null when none is.",
    ),
    (
        "last_status_code",
        "integer or null",
        "The last answer's HTTP status; null when there was none.",
    ),
    ("last_error", "string", "What went wrong last time, e.g. HTTP 500 or a timeout."),
    ("created_at", "integer", "Unix seconds."),
    ("payload", "string", "The JSON body sent, as text."),
    ("attempts", "array", "Every attempt, oldest first."),
    ("attempts[].at", "integer", "When (Unix seconds)."),
    ("attempts[].status_code", "integer or null", "The answer's HTTP status."),
    ("attempts[].latency_ms", "integer", "How long it took."),
    ("attempts[].response", "string", "The first 2 KB of the answer."),
    ("attempts[].error", "string", "Why it failed without an answer, if it did."),
];

#[component]
fn ApiDeliveries() -> impl IntoView {
    view! {
        <h2>"Deliveries"</h2>
        <p>"One delivery is one message to one endpoint, with all its attempts:"</p>
        <FieldTable rows=DELIVERY_VIEW />
        <ApiRoute
            method="GET"
            path="/api/v1/webhooks/endpoints/{id}/deliveries"
            curl="curl 'https://frontdesk.example.com/api/v1/webhooks/endpoints/2/deliveries?status=failed&before_id=950' \\\n  -H \"Authorization: Bearer $FRONTDESK_API_KEY\""
        >
            <p>
                "The endpoint's deliveries, newest first, 50 at a time. Query: " <code>"status"</code>
                " (" <code>"pending"</code> ", " <code>"succeeded"</code> " or " <code>"failed"</code> ") and "
                <code>"before_id"</code> " (only ids lower than this, for the next page)."
            </p>
        </ApiRoute>
        <ApiRoute
            method="POST"
            path="/api/v1/webhooks/deliveries/{id}/resend"
            curl="curl -X POST https://frontdesk.example.com/api/v1/webhooks/deliveries/950/resend \\\n  -H \"Authorization: Bearer $FRONTDESK_API_KEY\""
        >
            <p>
                "Sends one delivery again now, with the same " <code>"webhook-id"</code>
                " and body. Answers 202; 409 when the endpoint is disabled."
            </p>
        </ApiRoute>
        <ApiRoute method="POST" path="/api/v1/webhooks/endpoints/{id}/replay" curl=CURL_REPLAY>
            <p>
                "Sends again every failed delivery of the endpoint created at or after " <code>"since"</code>
                " (Unix seconds, required). Answers 202 with " <code>"{\"count\": 12}"</code>
                "; 409 when the endpoint is disabled (enable it first)."
            </p>
        </ApiRoute>
    }
}

const CURL_REPLAY: &str = r#"curl https://frontdesk.example.com/api/v1/webhooks/endpoints/2/replay \
  -H "Authorization: Bearer $FRONTDESK_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{"since": 1772409600}'"#;
