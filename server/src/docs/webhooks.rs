//! `/docs/webhooks`: what Frontdesk sends, when, and how to receive it safely.
//! Written from `app::backend::channels::webhooks` and `app::rules`; change both together.

use super::FieldTable;
use leptos::prelude::*;

/// The page's `<main>`; `super::document` puts it in an HTML document.
#[component]
pub fn WebhookDocsPage() -> impl IntoView {
    view! {
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
        "The client (modifiedBy client). content.message holds the conversation id and the whole message.",
    ),
    (
        "payment.received",
        "The client paid through a payment link staff sent from the appointment.",
        "The client (modifiedBy client), once the store's payment provider (Stripe) reports the payment. content.payment holds the \
         amount in minor units, the currency and the provider's reference. Sent once per payment, however often the provider reports it.",
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
      "presence": "Expecting",
      "videoConferenceUrl": null
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
      "service": {
        "id": 3,
        "name": "Couleur et coupe",
        "translations": { "en": { "name": "Colour and cut" } }
      },
      "staff": {
        "id": 14,
        "name": "Louis Bernard",
        "translations": { "en": { "name": "Louis Bernard" } }
      },
      "location": {
        "storeId": 1,
        "name": "Downtown",
        "address": "12 Rue de la Paix, 75002 Paris",
        "defaultLanguage": "fr",
        "translations": { "en": { "name": "Downtown", "address": "12 Rue de la Paix, 75002 Paris" } }
      },
      "trackingQRCodeUrl": "https://frontdesk.example.com/t/a1gapQm1RPyXQoXPl0SGdG22/qr.png",
      "staffVideoConferenceUrl": null,
      "trackingPage": {
        "viewURL": "https://frontdesk.example.com/t/a1gapQm1RPyXQoXPl0SGdG22?lang=fr",
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
      "service": {
        "id": 3,
        "name": "Couleur et coupe",
        "translations": { "en": { "name": "Colour and cut" } }
      },
      "staff": {
        "id": 12,
        "name": "Maya Martin",
        "translations": { "en": { "name": "Maya Martin" } }
      },
      "location": {
        "storeId": 1,
        "name": "Downtown",
        "address": "12 Rue de la Paix, 75002 Paris",
        "defaultLanguage": "fr",
        "translations": { "en": { "name": "Downtown", "address": "12 Rue de la Paix, 75002 Paris" } }
      }
    },
    "additionalRequest": "Sensitive scalp, please use mild products.",
    "attendees": [
      {
        "name": "Hugo Dubois",
        "email": "hugo.dubois@example.com",
        "trackingQRCodeUrl": "https://frontdesk.example.com/t/Qx7bN2vLp0aTt9cW4mYhRz11/qr.png",
        "videoConferenceUrl": null
      }
    ],
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
    (
        "content.client.videoConferenceUrl",
        "string (URL) or null",
        "For a service held by video: the client's link to join. null otherwise.",
    ),
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
    ("content.booking.service.name", "string", "The service's name, in the store's default language."),
    (
        "content.booking.service.translations",
        "object",
        "The service's texts in each other language Frontdesk writes, by language code: { \"fr\": { \"name\": \"Coupe\" } }. \
         Use it when content.client.language is not the store's default.",
    ),
    (
        "content.booking.staff",
        "object or null",
        "The associate who will serve the client; null while a request has not been given to anyone.",
    ),
    ("content.booking.staff.id", "integer", "The associate's id."),
    ("content.booking.staff.name", "string", "The associate's name."),
    ("content.booking.staff.translations", "object", "The associate's name in each other language (names are not translated)."),
    ("content.booking.location", "object", "The store where the appointment takes place."),
    ("content.booking.location.storeId", "integer", "The store's id."),
    ("content.booking.location.name", "string", "The store's name."),
    ("content.booking.location.address", "string", "The store's address."),
    ("content.booking.location.defaultLanguage", "string", "The store's default language: the one names and texts are given in."),
    ("content.booking.location.translations", "object", "The store's name and address in each other language."),
    (
        "content.booking.staffVideoConferenceUrl",
        "string (URL) or null",
        "For a service held by video: the staff's (host's) link to join, from the store's meeting link. null otherwise. Not in previousBooking.",
    ),
    (
        "content.booking.trackingQRCodeUrl",
        "string (URL)",
        "A PNG of the QR code of the client's tracking link (replace .png with .svg for SVG). Personal to the client, like the link.",
    ),
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
        "People coming along, each {name, email, trackingQRCodeUrl, videoConferenceUrl}, as they are now; trackingQRCodeUrl is the QR \
         code of their own link (which shows the booking and lets them drop out), videoConferenceUrl their link to join a video \
         appointment (else null). Send them messages too when booking.clientCommunication is ClientAndAttendees.",
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
    ("content.message.body", "string", "The whole message, as the client wrote it (up to 2,000 characters)."),
    ("content.payment", "object", "Only in payment.received."),
    ("content.payment.id", "integer", "Frontdesk's id of the payment (one payment link)."),
    ("content.payment.amount", "integer", "What was paid, in the currency's minor unit (pence, cents): 4500 is £45.00."),
    ("content.payment.currency", "string", "ISO 4217 code, upper case: GBP, EUR, USD…"),
    ("content.payment.formattedAmount", "string", "The amount as the store writes it: £45.00."),
    ("content.payment.note", "string", "What staff wrote for the client when sending the link; may be empty."),
    ("content.payment.provider", "string", "stripe."),
    ("content.payment.providerReference", "string", "The provider's reference of the payment (Stripe's PaymentIntent id, pi_…)."),
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
            "The link is personal to the client; take it from the latest event about the booking. It already has a query string ("
            <code>"?lang="</code> " and the client's language), so append parameters with " <code>"&"</code> "; a later "
            <code>"lang"</code> " wins:"
        </p>
        <ul>
            <li>
                <code>"lang=en"</code> " or " <code>"lang=fr"</code> " (or the three-letter " <code>"eng"</code> ", " <code>"fra"</code>
                "): the page's language. Without it the page uses the client's language."
            </li>
            <li>
                <code>"action=modify"</code> ", " <code>"action=cancel"</code> " or " <code>"action=confirm"</code>
                ": opens that step for a button in your message. Nothing happens until the client confirms on the page, so links opened by mail scanners are harmless."
            </li>
        </ul>
        <pre>
            <code>"https://frontdesk.example.com/t/a1gapQm1RPyXQoXPl0SGdG22?lang=fr&lang=eng&action=cancel"</code>
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

#[cfg(test)]
mod tests {
    use super::*;
    use app::backend::channels::webhooks::payload::{render, AttendeeFacts, BookingFacts, ClientFacts, Envelope, Tracking};
    use app::domain::appointment::{AppointmentStatus, ChangedField, ClientCommunication, Presence, Source};
    use app::domain::event::ActorKind;
    use app::domain::ids::{AppointmentId, ClientId, ServiceId, StaffId, StoreId};
    use app::domain::time::UnixTime;
    use app::domain::webhooks::WebhookEventType;
    use app::i18n::Language;
    use app::rules::client::ClientActions;

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
            service_name: "Couleur et coupe".into(),
            service_translations: [(Language::fallback(), "Colour and cut".to_string())].into(),
            staff_id: Some(StaffId(staff.0)),
            staff_name: Some(staff.1.into()),
            store_id: StoreId(1),
            store_name: "Downtown".into(),
            store_address: "12 Rue de la Paix, 75002 Paris".into(),
            time_zone: "Europe/Paris".into(),
            default_language: Language::parse("fr").expect("French is a language"),
            notes: "Sensitive scalp, please use mild products.".into(),
            source: Source::Online,
        };
        let client = ClientFacts {
            id: ClientId(7),
            name: "Claire Dubois".into(),
            email: Some("claire.dubois@example.com".into()),
            mobile: Some("+33612345678".into()),
            language: app::i18n::Language::parse("fr").expect("French is a language"),
            remind_by_email: true,
            remind_by_sms: false,
            video_url: None,
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
                payment: None,
                attendees: &[AttendeeFacts {
                    name: "Hugo Dubois".into(),
                    email: "hugo.dubois@example.com".into(),
                    tracking_qr_url: "https://frontdesk.example.com/t/Qx7bN2vLp0aTt9cW4mYhRz11/qr.png".into(),
                    video_url: None,
                }],
                staff_video_url: None,
            },
            &client,
            &booking(3, 1_773_135_000, (14, "Louis Bernard")),     // 2026-03-10T09:30:00Z
            Some(&booking(2, 1_773_068_400, (12, "Maya Martin"))), // 2026-03-09T15:00:00Z
            &Tracking {
                view_url: "https://frontdesk.example.com/t/a1gapQm1RPyXQoXPl0SGdG22?lang=fr",
                qr_url: "https://frontdesk.example.com/t/a1gapQm1RPyXQoXPl0SGdG22/qr.png",
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
}
