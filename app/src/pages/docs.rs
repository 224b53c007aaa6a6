//! Reference pages for integrators, public and static: the webhooks
//! (`/docs/webhooks`) and the REST API (`/docs/api`). Everything here is
//! written from the code it describes (`backend::webhooks`, `client_rules`,
//! `server::api_v1`); change both together.

use leptos::prelude::*;
use leptos_meta::{Style, Title};

/// A little layout for long reference pages: readable tables and code.
const DOCS_CSS: &str = "
.docs { max-width: 60rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
.docs h3 { font-size: 1rem; margin: 1.4em 0 0.4em; }
.docs table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.9rem; background: var(--card, #fff); }
.docs th, .docs td { border: 1px solid var(--line, #dfe4ea); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
.docs th { background: #eef2f6; }
.docs pre { background: #1b2430; color: #f3f5f8; padding: 0.8rem 1rem; border-radius: 8px; overflow-x: auto; font-size: 0.82rem; line-height: 1.45; }
.docs code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88em; }
.docs td code, .docs p code, .docs li code { background: #eef2f6; padding: 0 0.2em; border-radius: 3px; overflow-wrap: anywhere; }
.docs nav.toc ul { columns: 2; }
.docs .method { font-weight: 700; }
";

/// A table of (name, type, meaning) rows.
#[component]
fn FieldTable(
    rows: &'static [(&'static str, &'static str, &'static str)],
    #[prop(default = "Field")] first: &'static str,
) -> impl IntoView {
    view! {
        <table>
            <thead>
                <tr>
                    <th scope="col">{first}</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Meaning"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .iter()
                    .map(|(name, ty, meaning)| {
                        view! {
                            <tr>
                                <td>
                                    <code>{*name}</code>
                                </td>
                                <td>{*ty}</td>
                                <td>{*meaning}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

// ======================================================================= webhooks

/// `/docs/webhooks`: what Frontdesk sends, when, and how to receive it safely.
#[component]
pub fn WebhookDocsPage() -> impl IntoView {
    view! {
        <Title text="Webhooks · Frontdesk docs" />
        <Style>{DOCS_CSS}</Style>
        <main class="docs">
            <WebhookIntro />
            <WebhookSetup />
            <WebhookEventTypes />
            <WebhookExample />
            <WebhookFields />
            <WebhookMessages />
            <WebhookTracking />
            <WebhookSignatures />
            <WebhookDelivery />
            <WebhookSecurity />
        </main>
    }
}

#[component]
fn WebhookIntro() -> impl IntoView {
    view! {
        <h1>"Webhooks"</h1>
        <p>
            "Frontdesk sends an HTTP request with a JSON body to your endpoint every time something happens to a booking: "
            "it is created, changed, confirmed, cancelled, completed or missed, a reminder or recall falls due, or the client writes to the store. "
            "Use webhooks to keep a CRM in step, or to send your own confirmations, reminders and follow-ups by email, SMS, WhatsApp or any other channel."
        </p>
        <p>
            "Every request is signed (Standard Webhooks, unless you turn it off), retried for days until your endpoint answers with a 2xx status, "
            "and carries the booking as it is now, the booking as it was before the change, which fields changed, "
            "and a link to the client's tracking page. To read or change bookings yourself, see the "
            <a href="/docs/api">"REST API reference"</a> "."
        </p>
        <h2>"Coming from Booxi"</h2>
        <p>
            "The body follows the shape of the Booxi webhook contract, so existing integrations need few changes. We keep "
            <code>"content.client"</code> " (name, email, mobile, language, "
            <code>"remindByEmail"</code> ", " <code>"remindBySMS"</code> ", " <code>"presence"</code> "), "
            <code>"content.booking"</code> " (" <code>"status"</code> ", " <code>"isCompleted"</code> ", "
            <code>"clientCommunication"</code> ", service, staff, location, " <code>"trackingPage"</code> " with "
            <code>"viewURL"</code> ", " <code>"canConfirm"</code> ", " <code>"canModify"</code> ", " <code>"canCancel"</code> "), "
            <code>"content.previousBooking"</code> ", " <code>"content.additionalRequest"</code> " and "
            <code>"content.modifiedBy"</code> ", and the same event type names."
        </p>
        <p>"We add:"</p>
        <ul>
            <li>
                <code>"content.changedFields"</code>
                ": the fields the change touched, so you do not have to compare the two bookings yourself;"
            </li>
            <li>
                <code>"content.version"</code>
                " (also " <code>"booking.version"</code>
                "): a per-booking counter that goes up by one with every change, to put events in order;"
            </li>
            <li>
                <code>"previousBooking"</code>
                " is always the version just before this one ("
                <code>"version - 1"</code>
                "), or " <code>"null"</code> " for a new booking and for reminders, recalls and messages, which change nothing;"
            </li>
            <li>
                "times given three ways (" <code>"utc"</code> ", the store's " <code>"local"</code> " time with its offset, and the "
                <code>"timeZone"</code> " name), the booking's " <code>"source"</code> " and " <code>"clientPresence"</code> "."
            </li>
        </ul>
        <p>
            "Not produced: " <code>"reservation.status_updated"</code>
            " (group bookings), because Frontdesk has no group bookings yet. "
            <code>"payment.received"</code>
            " can be chosen when you set up an endpoint, but nothing sends it until Frontdesk takes payments. "
            "QR codes, video-conference links and per-language translations are not part of the body."
        </p>
    }
}

#[component]
fn WebhookSetup() -> impl IntoView {
    view! {
        <h2>"Setting up an endpoint"</h2>
        <p>
            "An administrator adds endpoints on the " <a href="/staff/integrations">"Integrations page"</a>
            " of the staff area, or with the REST API ("
            <code>"POST /api/v1/webhooks/endpoints"</code>
            ", see the " <a href="/docs/api">"API reference"</a>
            "). An endpoint belongs to one store and receives that store's events. A store can have several endpoints, each with its own list of event types."
        </p>
        <ul>
            <li>
                <strong>"URL"</strong>
                ": an " <code>"https://"</code>
                " address on the public internet (see Security below). It may not contain a user name or password."
            </li>
            <li>
                <strong>"Method"</strong> ": " <code>"POST"</code> " (default) or " <code>"PUT"</code> "."
            </li>
            <li>
                <strong>"Event types"</strong>
                ": at least one of the types listed below. Only those are sent (a test is sent whatever the list)."
            </li>
            <li>
                <strong>"Authentication"</strong> ", any combination of:"
                <ul>
                    <li>
                        <strong>"Standard Webhooks signing"</strong>
                        " (on by default): every request carries a signature made with the endpoint's "
                        <code>"whsec_"</code>
                        " secret, which admins can read and rotate. This is the recommended way to check that a request comes from Frontdesk."
                    </li>
                    <li>
                        <strong>"A static header"</strong>
                        ": a header name and value sent with every request, e.g. "
                        <code>"X-Api-Key: …"</code>
                        ". The name uses letters, digits, " <code>"-"</code> " and " <code>"_"</code>
                        " and may not be one Frontdesk sets itself (" <code>"Authorization"</code> ", " <code>"Content-Type"</code> ", "
                        <code>"Content-Length"</code> ", " <code>"Host"</code> ", " <code>"User-Agent"</code> " or a "
                        <code>"webhook-*"</code> " header). The value is never shown again after saving."
                    </li>
                    <li>
                        <strong>"OAuth2 client credentials"</strong>
                        ": a token URL, client id, client secret and optional scope. Frontdesk posts "
                        <code>"grant_type=client_credentials"</code> " (and " <code>"scope"</code>
                        ") to the token URL with the client id and secret as HTTP Basic credentials, reads "
                        <code>"access_token"</code> " and " <code>"expires_in"</code> " (3600 s when absent), and sends "
                        <code>"Authorization: Bearer <token>"</code>
                        ". The token is cached until 30 seconds before it expires. If your endpoint answers 401, Frontdesk fetches a new token and tries once more straight away."
                    </li>
                </ul>
            </li>
        </ul>
        <p>
            "Use " <strong>"Send test"</strong> " (or " <code>"POST /api/v1/webhooks/endpoints/{id}/test"</code>
            ") to check your endpoint: it receives a " <code>"webhook.test"</code> " request, signed and authenticated like the others:"
        </p>
        <pre>
            <code>{TEST_PAYLOAD}</code>
        </pre>
    }
}

const TEST_PAYLOAD: &str = r#"{
  "type": "webhook.test",
  "id": "msg_K8CJ5LzfPBwsW96OP4IP9YqNPc8",
  "timestamp": "2026-03-02T14:00:00Z",
  "content": {
    "message": "A test from Frontdesk: this endpoint is reachable.",
    "endpointId": 2
  }
}"#;

/// (type, when it is sent, from which actions)
const EVENT_TYPE_ROWS: &[(&str, &str, &str)] = &[
    (
        "appointment.created",
        "A booking was made.",
        "The client books on the online booking form: source online, modifiedBy client, status Approved when the store approves \
         automatically, else PendingStaffApproval. Staff book in the staff app or with POST /api/v1/appointments: source staff, \
         modifiedBy staff, status Approved, or PendingClientApproval when the client is asked to confirm.",
    ),
    (
        "appointment.updated",
        "The time, service, associate, notes or message setting of a booking changed.",
        "Staff edit the booking or call PATCH /api/v1/appointments/{id} (modifiedBy staff). A manager gives a request to an associate \
         (changedFields [staff]). Staff propose a change and ask the client to confirm (status becomes PendingClientApproval, changedFields \
         includes status). The client moves the booking on the tracking page (modifiedBy client, changedFields [start], plus status when \
         this settles a change the store proposed: status becomes Approved).",
    ),
    (
        "appointment.status_updated",
        "The status, the client's presence or the completion changed.",
        "Staff approve a request (status Approved). The client confirms a proposed change on the tracking page (status Approved, modifiedBy \
         client). Any cancellation (status Cancelled, also sent as appointment.canceled). Staff mark a no-show (clientPresence NoShow). \
         Staff mark the appointment completed (isCompleted true, also sent as appointment.completed).",
    ),
    (
        "appointment.canceled",
        "The booking was cancelled. Sent together with appointment.status_updated, with the same content.",
        "The client cancels on the tracking page (modifiedBy client); staff cancel in the staff app or with \
         POST /api/v1/appointments/{id}/cancel (modifiedBy staff).",
    ),
    (
        "appointment.completed",
        "The appointment took place. Sent together with appointment.status_updated, with the same content.",
        "Staff mark it completed, once it has started (modifiedBy staff).",
    ),
    (
        "appointment.remind",
        "The store's reminder lead time before a confirmed appointment.",
        "Frontdesk's scheduler (modifiedBy system). Only while the booking is Approved, the client is expected and it has not started; \
         not sent when the booking was made inside the lead time. Moving the booking moves the reminder.",
    ),
    (
        "appointment.recall",
        "The store's recall delay (in days) after a completed appointment: time to book again.",
        "Frontdesk's scheduler (modifiedBy system). Not sent if the client already has another booking to come at the store, \
         or when the store has recalls off.",
    ),
    (
        "message.received",
        "The client wrote to the store from the tracking page.",
        "The client (modifiedBy client). content.message holds the conversation id and the start of the message.",
    ),
    (
        "payment.received",
        "Reserved.",
        "Accepted in an endpoint's list but not produced until Frontdesk takes payments.",
    ),
    (
        "webhook.test",
        "A test request.",
        "An admin presses Send test, or calls POST /api/v1/webhooks/endpoints/{id}/test. Goes to that endpoint only, whatever its event \
         types; it cannot be chosen in the list.",
    ),
];

#[component]
fn WebhookEventTypes() -> impl IntoView {
    view! {
        <h2>"Event types"</h2>
        <p>
            "The type is in " <code>"type"</code>
            " at the top of the body. A change that does nothing (for instance moving a booking to the time it already has) sends nothing."
        </p>
        <table>
            <thead>
                <tr>
                    <th scope="col">"Type"</th>
                    <th scope="col">"When it is sent"</th>
                    <th scope="col">"From which action"</th>
                </tr>
            </thead>
            <tbody>
                {EVENT_TYPE_ROWS
                    .iter()
                    .map(|(ty, when, from)| {
                        view! {
                            <tr>
                                <td>
                                    <code>{*ty}</code>
                                </td>
                                <td>{*when}</td>
                                <td>{*from}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <p>
            "For example, when a client cancels from their tracking page, an endpoint that takes both types receives "
            <code>"appointment.status_updated"</code> " and " <code>"appointment.canceled"</code> ", each with "
            <code>"booking.status"</code> " " <code>"Cancelled"</code> ", " <code>"modifiedBy"</code> " " <code>"client"</code>
            " and " <code>"changedFields"</code> " " <code>"[\"status\"]"</code>
            ". The two are separate messages with different " <code>"webhook-id"</code>
            "s and the same " <code>"content.version"</code>
            ". If you act on both types, act once per booking and version (for example, send client messages from "
            <code>"appointment.status_updated"</code> " only)."
        </p>
    }
}

#[component]
fn WebhookExample() -> impl IntoView {
    view! {
        <h2>"Example"</h2>
        <p>
            "A staff member moved Claire's appointment from 9 March 16:00 to 10 March 10:30 (Paris time) and gave it to another associate. "
            "The order of keys is not significant."
        </p>
        <pre>
            <code>{EXAMPLE_PAYLOAD}</code>
        </pre>
    }
}

const EXAMPLE_PAYLOAD: &str = r#"{
  "type": "appointment.updated",
  "id": "msg_vlSa1yFNTn3oFKsl1P055G8RVS3",
  "timestamp": "2026-03-02T14:05:11Z",
  "content": {
    "client": {
      "id": 7,
      "name": "Claire Dubois",
      "email": "claire.dubois@example.com",
      "mobile": "+33612345678",
      "language": "fr",
      "remindByEmail": true,
      "remindBySMS": false,
      "presence": "Expecting"
    },
    "booking": {
      "id": 1042,
      "version": 3,
      "status": "Approved",
      "clientPresence": "Expecting",
      "isCompleted": false,
      "clientCommunication": "ClientOnly",
      "source": "online",
      "start": {
        "utc": "2026-03-10T09:30:00Z",
        "local": "2026-03-10T10:30:00+01:00",
        "timeZone": "Europe/Paris"
      },
      "end": {
        "utc": "2026-03-10T10:15:00Z",
        "local": "2026-03-10T11:15:00+01:00",
        "timeZone": "Europe/Paris"
      },
      "durationMinutes": 45,
      "service": { "id": 3, "name": "Colour and cut" },
      "staff": { "id": 14, "name": "Louis Bernard" },
      "location": {
        "storeId": 1,
        "name": "Downtown",
        "address": "12 Rue de la Paix, 75002 Paris"
      },
      "trackingPage": {
        "viewURL": "https://frontdesk.example.com/t/a1gapQm1RPyXQoXPl0SGdG22",
        "canConfirm": false,
        "canModify": true,
        "canCancel": true
      }
    },
    "previousBooking": {
      "id": 1042,
      "version": 2,
      "status": "Approved",
      "clientPresence": "Expecting",
      "isCompleted": false,
      "clientCommunication": "ClientOnly",
      "source": "online",
      "start": {
        "utc": "2026-03-09T15:00:00Z",
        "local": "2026-03-09T16:00:00+01:00",
        "timeZone": "Europe/Paris"
      },
      "end": {
        "utc": "2026-03-09T15:45:00Z",
        "local": "2026-03-09T16:45:00+01:00",
        "timeZone": "Europe/Paris"
      },
      "durationMinutes": 45,
      "service": { "id": 3, "name": "Colour and cut" },
      "staff": { "id": 12, "name": "Maya Martin" },
      "location": {
        "storeId": 1,
        "name": "Downtown",
        "address": "12 Rue de la Paix, 75002 Paris"
      }
    },
    "additionalRequest": "Sensitive scalp, please use mild products.",
    "attendees": [{ "name": "Hugo Dubois", "email": "hugo.dubois@example.com" }],
    "modifiedBy": "staff",
    "changedFields": ["start", "staff"],
    "version": 3
  }
}"#;

/// Every field of the body: (path, type, meaning).
const PAYLOAD_FIELDS: &[(&str, &str, &str)] = &[
    ("type", "string", "The event type (see the table above)."),
    (
        "id",
        "string",
        "The message id, msg_ followed by 27 letters and digits. Equal to the webhook-id header, and the same on every retry.",
    ),
    (
        "timestamp",
        "string (RFC 3339, UTC)",
        "When the change happened, e.g. 2026-03-02T14:05:11Z. Not the time of the delivery attempt (that is the webhook-timestamp header).",
    ),
    ("content", "object", "Everything else."),
    ("content.client", "object", "The client the booking is for, with their details as they are now."),
    ("content.client.id", "integer", "The client's id."),
    ("content.client.name", "string", "The client's full name."),
    ("content.client.email", "string or null", "Their email address, when known."),
    ("content.client.mobile", "string or null", "Their mobile number, when known."),
    ("content.client.language", "string", "Their preferred language, as a code: en or fr."),
    ("content.client.remindByEmail", "boolean", "They want reminders for this booking by email."),
    ("content.client.remindBySMS", "boolean", "They want reminders for this booking by text message."),
    ("content.client.presence", "string", "Expecting or NoShow; the same as content.booking.clientPresence."),
    ("content.booking", "object", "The booking as this change left it."),
    ("content.booking.id", "integer", "The booking's id (the appointment id of the REST API)."),
    ("content.booking.version", "integer", "1 when created, one more with every change."),
    ("content.booking.status", "string", "PendingStaffApproval, Approved, PendingClientApproval or Cancelled (see below)."),
    ("content.booking.clientPresence", "string", "Expecting, or NoShow once staff marked that the client did not come."),
    ("content.booking.isCompleted", "boolean", "Staff marked the appointment as completed."),
    (
        "content.booking.clientCommunication",
        "string",
        "Whom messages about this booking may go to: DoNotSend, ClientOnly or ClientAndAttendees.",
    ),
    ("content.booking.source", "string", "online (booked by the client) or staff (booked by staff or through the API)."),
    ("content.booking.start", "object", "When the appointment starts."),
    ("content.booking.start.utc", "string (RFC 3339)", "In UTC, e.g. 2026-03-10T09:30:00Z."),
    (
        "content.booking.start.local",
        "string (RFC 3339)",
        "In the store's time zone, with its offset, e.g. 2026-03-10T10:30:00+01:00. Show this one to the client.",
    ),
    ("content.booking.start.timeZone", "string", "The store's IANA time zone, e.g. Europe/Paris."),
    ("content.booking.end", "object", "When the appointment ends."),
    ("content.booking.end.utc", "string (RFC 3339)", "In UTC."),
    ("content.booking.end.local", "string (RFC 3339)", "In the store's time zone, with its offset."),
    ("content.booking.end.timeZone", "string", "The store's IANA time zone."),
    ("content.booking.durationMinutes", "integer", "Length of the appointment in minutes."),
    ("content.booking.service", "object", "The service booked."),
    ("content.booking.service.id", "integer", "The service's id."),
    ("content.booking.service.name", "string", "The service's name."),
    (
        "content.booking.staff",
        "object or null",
        "The associate who will serve the client; null while a request has not been given to anyone.",
    ),
    ("content.booking.staff.id", "integer", "The associate's id."),
    ("content.booking.staff.name", "string", "The associate's name."),
    ("content.booking.location", "object", "The store where the appointment takes place."),
    ("content.booking.location.storeId", "integer", "The store's id."),
    ("content.booking.location.name", "string", "The store's name."),
    ("content.booking.location.address", "string", "The store's address."),
    (
        "content.booking.trackingPage",
        "object",
        "The client's tracking page and what they could do there right after this change (see Tracking page below).",
    ),
    ("content.booking.trackingPage.viewURL", "string (URL)", "The tracking page of this booking. Personal to the client: do not publish it."),
    (
        "content.booking.trackingPage.canConfirm",
        "boolean",
        "The client can confirm a change the store proposed: the status is PendingClientApproval and the appointment has not started.",
    ),
    (
        "content.booking.trackingPage.canModify",
        "boolean",
        "The client can move the booking: it is not cancelled, completed, missed or started, is not awaiting the store's approval, \
         and the start is further away than the store's cut-off (hours before the start after which online changes close).",
    ),
    (
        "content.booking.trackingPage.canCancel",
        "boolean",
        "The client can cancel: it is not cancelled, completed, missed or started, and the start is further away than the store's cut-off.",
    ),
    (
        "content.previousBooking",
        "object or null",
        "The booking at the version before this one (content.version - 1), with the same fields as content.booking except trackingPage. \
         null for a new booking, and for appointment.remind, appointment.recall and message.received, which change nothing.",
    ),
    ("content.additionalRequest", "string", "The booking's notes: what the client wrote when booking, or what staff added. Empty when none."),
    (
        "content.attendees",
        "array",
        "People coming along, each {name, email}, as they are now. Send them messages too when booking.clientCommunication is ClientAndAttendees.",
    ),
    (
        "content.modifiedBy",
        "string",
        "Who made the change: client (online booking form or tracking page), staff (staff app or REST API) or system (reminders and recalls).",
    ),
    (
        "content.changedFields",
        "array of strings",
        "What this change touched: start, service, staff, details (notes), status, presence, completed. Empty for a new booking, for \
         reminders, recalls and messages, and when only clientCommunication changed. location is reserved for when bookings can move \
         between stores.",
    ),
    ("content.version", "integer", "The same as content.booking.version. Use it to order events about one booking."),
    ("content.message", "object", "Only in message.received."),
    ("content.message.conversationId", "integer", "The conversation the message belongs to (one per client and store)."),
    ("content.message.preview", "string", "The first 80 characters of the message, followed by … when it is longer."),
];

#[component]
fn WebhookFields() -> impl IntoView {
    view! {
        <h2>"Fields"</h2>
        <p>
            "Every field, by its path in the body. " <code>"content.previousBooking"</code>
            " has the same fields as " <code>"content.booking"</code>
            " except " <code>"trackingPage"</code>
            ". Names (client, service, associate, store) are the current ones, in both bookings."
        </p>
        <FieldTable rows=PAYLOAD_FIELDS first="Path" />
        <h3>"Booking statuses"</h3>
        <table>
            <thead>
                <tr>
                    <th scope="col">"status"</th>
                    <th scope="col">"Meaning"</th>
                </tr>
            </thead>
            <tbody>
                <tr>
                    <td>
                        <code>"PendingStaffApproval"</code>
                    </td>
                    <td>"A request made online that the store has not approved yet."</td>
                </tr>
                <tr>
                    <td>
                        <code>"Approved"</code>
                    </td>
                    <td>
                        "Confirmed. Marking a no-show or a completion does not change the status; see "
                        <code>"clientPresence"</code> " and " <code>"isCompleted"</code> "."
                    </td>
                </tr>
                <tr>
                    <td>
                        <code>"PendingClientApproval"</code>
                    </td>
                    <td>"Staff booked or changed it and asked the client to confirm on the tracking page."</td>
                </tr>
                <tr>
                    <td>
                        <code>"Cancelled"</code>
                    </td>
                    <td>"Cancelled by the client or the store. Nothing can change it any more."</td>
                </tr>
            </tbody>
        </table>
    }
}

/// (message, what to look for)
const MESSAGE_RULES: &[(&str, &str)] = &[
    (
        "Confirmation",
        "appointment.created with status Approved; appointment.status_updated with status Approved and status in changedFields \
         (staff approved a request, or the client confirmed a proposed change); appointment.updated with status Approved and status in \
         changedFields (the client picked a new time instead of confirming the proposed one).",
    ),
    (
        "Request received (the store will confirm)",
        "appointment.created with status PendingStaffApproval.",
    ),
    (
        "Please confirm the change",
        "appointment.created with status PendingClientApproval; appointment.updated with status PendingClientApproval and status in \
         changedFields.",
    ),
    (
        "Booking changed",
        "appointment.updated without status in changedFields, when changedFields has start or location, or has staff and \
         previousBooking.staff was not null (the client was expecting someone). Not for notes or service alone, and not when a request \
         that named nobody is given to an associate.",
    ),
    (
        "Cancelled by the store",
        "appointment.status_updated (or appointment.canceled) with status Cancelled and modifiedBy staff.",
    ),
    (
        "Cancellation confirmed (the client cancelled)",
        "appointment.status_updated (or appointment.canceled) with status Cancelled and modifiedBy client.",
    ),
    (
        "Missed appointment: book again",
        "appointment.status_updated with clientPresence NoShow and presence in changedFields.",
    ),
    (
        "Thank you",
        "appointment.status_updated (or appointment.completed) with isCompleted true while previousBooking.isCompleted was false \
         (completed is in changedFields).",
    ),
    (
        "Reminder",
        "appointment.remind. Send it by the channels the client chose: email when client.remindByEmail (and an email is known), text \
         when client.remindBySMS (and a mobile is known); neither means no reminder.",
    ),
    ("Time to book again", "appointment.recall."),
];

#[component]
fn WebhookMessages() -> impl IntoView {
    view! {
        <h2>"Which message to send for which event"</h2>
        <p>
            "If you send the client's messages yourself, these are the rules Frontdesk follows for its own. "
            "Whatever the event, first read " <code>"content.booking.clientCommunication"</code> ":"
        </p>
        <ul>
            <li>
                <code>"DoNotSend"</code> ": send nothing to the client or their attendees about this booking; staff chose not to inform them."
            </li>
            <li>
                <code>"ClientOnly"</code> ": send to the client only."
            </li>
            <li>
                <code>"ClientAndAttendees"</code>
                ": the client asked for the people they booked for to be told as well. Attendees' contact details are not part of the body."
            </li>
        </ul>
        <p>
            "Frontdesk writes to the client's email address when there is one, else by text message. Messages about a change should offer the tracking page's buttons the "
            <code>"trackingPage"</code> " flags allow."
        </p>
        <table>
            <thead>
                <tr>
                    <th scope="col">"Message"</th>
                    <th scope="col">"Send it on"</th>
                </tr>
            </thead>
            <tbody>
                {MESSAGE_RULES
                    .iter()
                    .map(|(message, when)| {
                        view! {
                            <tr>
                                <td>{*message}</td>
                                <td>{*when}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <p>
            "Messages to staff can use the same events: " <code>"modifiedBy"</code> " tells you whether the client, staff or Frontdesk made the change, and "
            <code>"booking.staff"</code> " who is concerned. " <code>"message.received"</code>
            " is for telling staff a client is waiting for an answer."
        </p>
    }
}

#[component]
fn WebhookTracking() -> impl IntoView {
    view! {
        <h2>"Tracking page"</h2>
        <p>
            <code>"content.booking.trackingPage.viewURL"</code>
            " opens the client's page for this booking, where they can see it, write to the store, and modify, cancel or confirm it when the rules allow. "
            "The link is personal to the client; take it from the latest event about the booking. Add query parameters:"
        </p>
        <ul>
            <li>
                <code>"lang=en"</code> " or " <code>"lang=fr"</code> ": the page's language; pass " <code>"content.client.language"</code>
                ". Without it the page uses the client's language."
            </li>
            <li>
                <code>"action=modify"</code> ", " <code>"action=cancel"</code> " or " <code>"action=confirm"</code>
                ": opens that step for a button in your message. Nothing happens until the client confirms on the page, so links opened by mail scanners are harmless."
            </li>
        </ul>
        <pre>
            <code>"https://frontdesk.example.com/t/a1gapQm1RPyXQoXPl0SGdG22?lang=fr&action=cancel"</code>
        </pre>
        <p>
            "Show a button only when its flag is true: " <code>"canModify"</code> " for modify, "
            <code>"canCancel"</code> " for cancel, " <code>"canConfirm"</code>
            " for confirm. The flags say what the client could do right after this change. Time passes before your message is read, "
            "so the page checks again and explains when an action is no longer possible (for instance, once the store's cut-off before the start has passed)."
        </p>
    }
}

const NODE_EXAMPLE: &str = r#"// npm install standardwebhooks express
import express from "express";
import { Webhook } from "standardwebhooks";

const wh = new Webhook(process.env.FRONTDESK_WEBHOOK_SECRET); // "whsec_…"
const app = express();

// The signature covers the exact bytes sent: keep the body raw until verified.
app.post("/frontdesk", express.raw({ type: "application/json" }), async (req, res) => {
  let event;
  try {
    event = wh.verify(req.body, req.headers); // checks the timestamp too
  } catch (err) {
    return res.status(400).send("bad signature");
  }
  const id = req.headers["webhook-id"];
  if (await alreadyHandled(id)) return res.sendStatus(204); // a retry
  await queue.add(id, event); // do the slow work after answering
  res.sendStatus(204);
});

app.listen(3000);"#;

#[component]
fn WebhookSignatures() -> impl IntoView {
    view! {
        <h2>"Verifying signatures"</h2>
        <p>
            "Frontdesk signs as the " <a href="https://www.standardwebhooks.com" rel="external">"Standard Webhooks"</a>
            " specification says, so any of its official libraries can check the requests. Every signed request carries:"
        </p>
        <ul>
            <li>
                <code>"webhook-id"</code> ": the message id (" <code>"msg_…"</code> "), the same on every retry;"
            </li>
            <li>
                <code>"webhook-timestamp"</code> ": Unix seconds when this attempt was sent;"
            </li>
            <li>
                <code>"webhook-signature"</code> ": " <code>"v1,"</code>
                " followed by the base64 HMAC-SHA256 signature; during a secret rotation, two such values separated by a space."
            </li>
        </ul>
        <h3>"With the official Node library"</h3>
        <pre>
            <code>{NODE_EXAMPLE}</code>
        </pre>
        <h3>"By hand"</h3>
        <ol>
            <li>
                "Read the three headers and the raw body bytes, before any JSON parsing (re-serialising changes the bytes)."
            </li>
            <li>
                "Refuse the request if " <code>"webhook-timestamp"</code> " is more than 5 minutes away from your clock, either way."
            </li>
            <li>
                "The key is the base64 decoding of the secret's part after " <code>"whsec_"</code> " (not the text itself)."
            </li>
            <li>
                "Compute HMAC-SHA256 with that key over " <code>"{webhook-id}.{webhook-timestamp}.{body}"</code>
                " (the three joined by dots) and encode the result in standard base64."
            </li>
            <li>
                "Split " <code>"webhook-signature"</code> " on spaces; ignore entries that do not start with " <code>"v1,"</code>
                ". Accept the request if one entry's part after the comma equals your result, compared in constant time."
            </li>
        </ol>
        <p>
            "Check your code with the specification's test vector: secret " <code>"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"</code> ", id "
            <code>"msg_p5jXN8AQM9LWM0D4loKWxJek"</code> ", timestamp " <code>"1614265330"</code> " and body "
            <code>"{\"test\": 2432232314}"</code> " give " <code>"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="</code> "."
        </p>
        <h3>"Rotating the secret"</h3>
        <p>
            "Rotating (on the Integrations page, or " <code>"POST /api/v1/webhooks/endpoints/{id}/rotate-secret"</code>
            ") creates a new secret at once. For the next 24 hours every request is signed with both, the new one first, "
            "so requests keep verifying while you install the new secret. After 24 hours only the new one signs."
        </p>
    }
}

#[component]
fn WebhookDelivery() -> impl IntoView {
    view! {
        <h2>"Delivery, retries and disabling"</h2>
        <p>"Each request has these headers:"</p>
        <table>
            <thead>
                <tr>
                    <th scope="col">"Header"</th>
                    <th scope="col">"Value"</th>
                </tr>
            </thead>
            <tbody>
                <tr>
                    <td>
                        <code>"Content-Type"</code>
                    </td>
                    <td>
                        <code>"application/json"</code>
                    </td>
                </tr>
                <tr>
                    <td>
                        <code>"User-Agent"</code>
                    </td>
                    <td>
                        <code>"Frontdesk-Webhooks/<version>"</code>
                    </td>
                </tr>
                <tr>
                    <td>
                        <code>"webhook-id"</code>
                    </td>
                    <td>"The message id; also the body's " <code>"id"</code> "."</td>
                </tr>
                <tr>
                    <td>
                        <code>"webhook-timestamp"</code>
                    </td>
                    <td>"Unix seconds of this attempt."</td>
                </tr>
                <tr>
                    <td>
                        <code>"webhook-signature"</code>
                    </td>
                    <td>"When signing is on."</td>
                </tr>
                <tr>
                    <td>"Your static header"</td>
                    <td>"When the endpoint has one."</td>
                </tr>
                <tr>
                    <td>
                        <code>"Authorization: Bearer …"</code>
                    </td>
                    <td>"When the endpoint uses OAuth2."</td>
                </tr>
            </tbody>
        </table>
        <h3>"Success and failure"</h3>
        <p>
            "A delivery succeeds when your endpoint answers with a 2xx status within 15 seconds. Anything else is a failed attempt: "
            "3xx (redirects are not followed), 4xx, 5xx, no answer within 15 seconds, a connection error, or a destination that is not allowed. "
            "Answer quickly and do the work afterwards. The first 2 KB of every answer are kept in the delivery log on the Integrations page."
        </p>
        <h3>"Retries"</h3>
        <table>
            <thead>
                <tr>
                    <th scope="col">"Attempt"</th>
                    <th scope="col">"After the previous attempt"</th>
                </tr>
            </thead>
            <tbody>
                <tr>
                    <td>"1"</td>
                    <td>"Immediately"</td>
                </tr>
                <tr>
                    <td>"2"</td>
                    <td>"5 seconds"</td>
                </tr>
                <tr>
                    <td>"3"</td>
                    <td>"5 minutes"</td>
                </tr>
                <tr>
                    <td>"4"</td>
                    <td>"30 minutes"</td>
                </tr>
                <tr>
                    <td>"5"</td>
                    <td>"2 hours"</td>
                </tr>
                <tr>
                    <td>"6"</td>
                    <td>"5 hours"</td>
                </tr>
                <tr>
                    <td>"7"</td>
                    <td>"10 hours"</td>
                </tr>
                <tr>
                    <td>"8 to 30"</td>
                    <td>"10 hours each"</td>
                </tr>
            </tbody>
        </table>
        <p>
            "Each delay varies by up to 20 % either way, so retries after an outage do not all arrive together. "
            "After 30 attempts (about ten days) the delivery has failed for good. When you answer "
            <code>"429"</code> " or " <code>"503"</code> " with a " <code>"Retry-After"</code>
            " header (seconds or an HTTP date), the next attempt waits that long instead, up to 24 hours."
        </p>
        <h3>"Disabling"</h3>
        <p>
            "An endpoint is disabled at once when it answers " <code>"410 Gone"</code>
            ", and after five days in which every attempt failed. Its pending deliveries are then marked failed and Frontdesk's administrators are told in the notification bell. "
            "Once you have fixed the endpoint, an administrator enables it again on the Integrations page (or with "
            <code>"PUT"</code> " and " <code>"\"enabled\": true"</code>
            ") and can replay the failed deliveries since a given time, or resend one delivery."
        </p>
        <h3>"Duplicates and order"</h3>
        <ul>
            <li>
                "Delivery is at least once: a message can arrive more than once (a retry after your answer was lost, or a resend). "
                "Every attempt of one message has the same " <code>"webhook-id"</code>
                ". Remember the ids you have handled and ignore repeats."
            </li>
            <li>
                "Up to 4 requests to one endpoint are in flight at a time, and retries come later, so messages can arrive out of order. "
                "Use " <code>"content.version"</code> " with " <code>"content.booking.id"</code>
                ": ignore a message about a booking whose version is lower than the last one you stored."
            </li>
        </ul>
    }
}

#[component]
fn WebhookSecurity() -> impl IntoView {
    view! {
        <h2>"Security"</h2>
        <ul>
            <li>
                "Endpoint URLs (and OAuth2 token URLs) must use " <code>"https://"</code>
                " and must not contain a user name or password; use a static header or OAuth2 instead."
            </li>
            <li>
                "The host must resolve to a public internet address. Loopback (" <code>"127.0.0.0/8"</code> ", " <code>"::1"</code>
                "), private (" <code>"10.0.0.0/8"</code> ", " <code>"172.16.0.0/12"</code> ", " <code>"192.168.0.0/16"</code>
                "), link-local (" <code>"169.254.0.0/16"</code> " including the cloud metadata address, " <code>"fe80::/10"</code>
                "), carrier-grade NAT (" <code>"100.64.0.0/10"</code> "), unique-local (" <code>"fc00::/7"</code>
                "), multicast, documentation and other reserved addresses are refused, including IPv6 forms that embed such an IPv4 address."
            </li>
            <li>
                "The address is checked when the endpoint is saved, before every attempt, and again when connecting, so a name that later resolves to a private address is still refused. "
                "Redirects are not followed and proxy settings are ignored."
            </li>
            <li>
                "The server's operator can allow specific private addresses (an on-premises receiver, for example) by listing IP addresses or CIDR networks in "
                <code>"FRONTDESK_WEBHOOK_ALLOW"</code> ", e.g. " <code>"10.1.0.0/16,::1"</code>
                ". Plain " <code>"http://"</code> " is accepted only for listed addresses."
            </li>
            <li>
                "Verify every request's signature (or your static header or OAuth2 token), and treat the body as personal data: it holds the client's contact details and tracking link."
            </li>
        </ul>
    }
}

// ======================================================================= REST API

/// `/docs/api`: the integration REST API, `/api/v1`.
#[component]
pub fn ApiDocsPage() -> impl IntoView {
    view! {
        <Title text="REST API · Frontdesk docs" />
        <Style>{DOCS_CSS}</Style>
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::backend::channels::webhooks::payload::{render, BookingFacts, ClientFacts, Envelope, Tracking};
    use crate::domain::appointment::{AppointmentStatus, ChangedField, ClientCommunication, Presence, Source};
    use crate::domain::event::ActorKind;
    use crate::domain::ids::{AppointmentId, ClientId, ServiceId, StaffId, StoreId};
    use crate::domain::time::UnixTime;
    use crate::domain::webhooks::WebhookEventType;
    use crate::rules::client::ClientActions;

    /// The example on the page is exactly what `payload::render` makes of the same facts.
    #[test]
    fn the_example_payload_is_what_the_code_sends() {
        let booking = |version: i64, starts_at: i64, staff: (i64, &str)| BookingFacts {
            id: AppointmentId(1042),
            version,
            status: AppointmentStatus::Approved,
            presence: Presence::Expecting,
            completed: false,
            client_communication: ClientCommunication::ClientOnly,
            starts_at: UnixTime(starts_at),
            ends_at: UnixTime(starts_at + 45 * 60),
            service_id: ServiceId(3),
            service_name: "Colour and cut".into(),
            staff_id: Some(StaffId(staff.0)),
            staff_name: Some(staff.1.into()),
            store_id: StoreId(1),
            store_name: "Downtown".into(),
            store_address: "12 Rue de la Paix, 75002 Paris".into(),
            time_zone: "Europe/Paris".into(),
            notes: "Sensitive scalp, please use mild products.".into(),
            source: Source::Online,
        };
        let client = ClientFacts {
            id: ClientId(7),
            name: "Claire Dubois".into(),
            email: Some("claire.dubois@example.com".into()),
            mobile: Some("+33612345678".into()),
            language: "fr".into(),
            remind_by_email: true,
            remind_by_sms: false,
        };
        let changed = vec![ChangedField::Start, ChangedField::Staff];
        let got = render(
            &Envelope {
                msg_id: "msg_vlSa1yFNTn3oFKsl1P055G8RVS3",
                event_type: WebhookEventType::AppointmentUpdated,
                timestamp: UnixTime(1_772_460_311), // 2026-03-02T14:05:11Z
                modified_by: ActorKind::Staff,
                changed_fields: &changed,
                message: None,
                attendees: &[("Hugo Dubois".into(), "hugo.dubois@example.com".into())],
            },
            &client,
            &booking(3, 1_773_135_000, (14, "Louis Bernard")),     // 2026-03-10T09:30:00Z
            Some(&booking(2, 1_773_068_400, (12, "Maya Martin"))), // 2026-03-09T15:00:00Z
            &Tracking {
                view_url: "https://frontdesk.example.com/t/a1gapQm1RPyXQoXPl0SGdG22",
                actions: ClientActions {
                    can_modify: true,
                    can_cancel: true,
                    can_confirm: false,
                },
            },
        );
        let shown: serde_json::Value = serde_json::from_str(EXAMPLE_PAYLOAD).expect("the example is JSON");
        assert_eq!(got, shown);
        let _: serde_json::Value = serde_json::from_str(TEST_PAYLOAD).expect("the test example is JSON");
    }

    #[test]
    fn every_event_type_is_documented() {
        for t in WebhookEventType::ALL {
            assert!(EVENT_TYPE_ROWS.iter().any(|r| r.0 == t.as_str()), "{t}");
        }
    }

    #[test]
    fn both_pages_render() {
        let owner = Owner::new();
        owner.with(|| {
            leptos_meta::provide_meta_context();
            let html = view! { <WebhookDocsPage /> }.to_html();
            assert!(html.contains("content.booking.start.utc") && html.contains("msg_vlSa1yFNTn3oFKsl1P055G8RVS3"));
            let html = view! { <ApiDocsPage /> }.to_html();
            assert!(html.contains("/api/v1/webhooks/endpoints/{id}/rotate-secret") && html.contains("next_after_id"));
        });
    }
}
