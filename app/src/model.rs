//! Types that cross the wire between the server and the browser.
//! Everything here compiles for both `ssr` and `hydrate`.

use crate::domain::appointment::{AppointmentStatus, ClientCommunication, Presence, Source};
use crate::domain::ids::*;
use crate::domain::messages::{Channel, ClientMessageStatus, NotificationKind};
use crate::domain::money::Currency;
use crate::domain::staff::StoreRole;
use crate::domain::time::UnixTime;
use crate::domain::webhooks::{DeliveryStatus, WebhookEventType, WebhookMethod};
use crate::i18n::Language;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The signed-in staff member, as the pages need them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: StaffId,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
    pub stores: Vec<MyStore>,
    pub unread: i64,
    pub last_seq: i64,
}

impl Me {
    /// Managers of any store and admins see the assignment queue.
    pub fn can_assign(&self) -> bool {
        self.is_admin || self.stores.iter().any(|s| s.role == StoreRole::Manager)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyStore {
    pub id: StoreId,
    pub slug: String,
    pub name: String,
    pub role: StoreRole,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceInfo {
    pub id: ServiceId,
    /// In the store's default language.
    pub name: String,
    /// Its name in the store's other languages (a language missing here reads `name`).
    pub translations: BTreeMap<Language, String>,
    pub duration_min: i64,
    /// In hundredths of `currency`.
    pub price_cents: i64,
    pub currency: Currency,
}

impl ServiceInfo {
    pub fn name_in(&self, language: Language) -> &str {
        self.translations.get(&language).map_or(&self.name, |n| n)
    }

    /// "Haircut · 45 min · £35.00", in `language`.
    pub fn label_in(&self, language: Language) -> String {
        format!(
            "{} · {} min · {}",
            self.name_in(language),
            self.duration_min,
            self.currency.price(self.price_cents)
        )
    }
}

/// The staff Appointments list's search, as its form sends it (every part
/// may be empty): days are `YYYY-MM-DD` in each appointment's store time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AppointmentQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub associate_id: Option<StaffId>,
    /// An `AppointmentStatus` name, or empty for any.
    #[serde(default)]
    pub status: String,
    /// Part of the client's name, email or mobile number.
    #[serde(default)]
    pub client: String,
}

impl AppointmentQuery {
    pub fn is_empty(&self) -> bool {
        self.from.trim().is_empty()
            && self.to.trim().is_empty()
            && self.associate_id.is_none()
            && self.status.trim().is_empty()
            && self.client.trim().is_empty()
    }
}

/// The staff calendar: one store, a day (a column per associate) or a week
/// (a column per day), as the page's address asks for it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CalendarQuery {
    #[serde(default)]
    pub store_id: Option<StoreId>,
    /// `YYYY-MM-DD` in the store's time; empty is today.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub week: bool,
    /// A manager's week view narrowed to one associate.
    #[serde(default)]
    pub associate_id: Option<StaffId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarView {
    /// The stores this person may look at, to switch between.
    pub stores: Vec<(StoreId, String)>,
    pub store_id: StoreId,
    pub store_name: String,
    /// "Monday 7 December 2026" or "7 – 13 December 2026".
    pub title: String,
    pub date: String,
    pub week: bool,
    pub associate_id: Option<StaffId>,
    pub previous: String,
    pub next: String,
    pub today: String,
    /// The associates a manager may narrow the week to.
    pub associates: Vec<AssociateInfo>,
    pub columns: Vec<CalendarColumn>,
    /// Minutes after local midnight the grid starts and ends (whole hours).
    pub first_minute: i64,
    pub last_minute: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarColumn {
    /// An associate's name, "Unassigned", or a day ("Mon 7 Dec").
    pub heading: String,
    pub items: Vec<CalendarItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarItem {
    pub id: AppointmentId,
    pub start_minute: i64,
    pub end_minute: i64,
    /// "10:00–10:45"
    pub time: String,
    pub client_name: String,
    pub service: String,
    /// Shown in the week view, where a column is a day.
    pub associate_name: Option<String>,
    pub status: AppointmentStatus,
}

/// What the search found, and whom a manager may narrow it to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppointmentSearch {
    pub items: Vec<AppointmentView>,
    pub associates: Vec<AssociateInfo>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssociateInfo {
    pub id: StaffId,
    pub name: String,
}

/// What the public booking page needs to draw the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookingPageInfo {
    pub store_slug: String,
    pub store_name: String,
    pub address: String,
    pub phone: String,
    pub time_zone: String,
    /// The zone's city, for "times are London time".
    pub city: String,
    /// The page's language: asked for, else the browser's, else the store's.
    pub language: Language,
    /// The store's date today, `YYYY-MM-DD`.
    pub today: String,
    pub services: Vec<ServiceInfo>,
    pub associates: Vec<AssociateInfo>,
    /// The first day (store-local, `YYYY-MM-DD`) with at least one free slot, if any in the next weeks.
    pub first_open_day: Option<String>,
}

/// One month of the booking page's calendar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthDays {
    /// `YYYY-MM`.
    pub month: String,
    pub year: i32,
    /// 1 to 12.
    pub month_number: u32,
    /// The weekday of the 1st, 1 (Monday) to 7 (Sunday).
    pub first_weekday: u32,
    /// Every day of the month (`YYYY-MM-DD`) and whether it has a free time.
    pub days: Vec<(String, bool)>,
    /// The months before and after, where they can hold free times.
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The first day from today with a free time, if any within the store's horizon.
    pub next_free: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    /// UTC unix seconds; what the booking request sends back.
    pub starts_at: UnixTime,
    /// Store-local time of day, `HH:MM`.
    pub label: String,
}

/// The client's booking request as typed into the form. Raw strings: the
/// server parses them into domain types and reports each bad field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BookingRequest {
    pub store: String,
    pub service_id: ServiceId,
    pub starts_at: UnixTime,
    pub associate_id: Option<StaffId>,
    pub name: String,
    pub email: String,
    pub mobile: String,
    pub language: String,
    pub notes: String,
    pub remind_by_email: bool,
    pub remind_by_sms: bool,
    /// People coming along (name + email).
    #[serde(default)]
    pub attendees: Vec<AttendeeInput>,
    /// Send the attendees the booking's messages too.
    #[serde(default)]
    pub notify_attendees: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AttendeeInput {
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttendeeView {
    pub id: AttendeeId,
    pub name: String,
    pub email: String,
}

/// One message to a client (or attendee), as staff see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientMessageView {
    pub id: ClientMessageId,
    pub appointment_id: Option<AppointmentId>,
    pub client_name: Option<String>,
    pub store_name: String,
    /// `MessageKind::as_str`, and its label.
    pub kind: crate::rules::client::MessageKind,
    pub kind_label: String,
    pub channel: Channel,
    pub recipient_name: String,
    pub recipient: String,
    pub language: Language,
    pub subject: String,
    pub body_text: String,
    pub status: ClientMessageStatus,
    pub status_reason: String,
    pub attempts: i64,
    pub created_at: UnixTime,
    pub sent_at: Option<UnixTime>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookingConfirmation {
    pub appointment_id: AppointmentId,
    pub status: AppointmentStatus,
    /// Path of the tracking page, holding the unguessable token.
    pub tracking_path: String,
    pub when: String,
    pub service: String,
    pub store_name: String,
    /// The store asks for a deposit: the booking is held until it is paid.
    #[serde(default)]
    pub deposit: Option<DepositDue>,
}

/// A deposit an online booking waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepositDue {
    /// "£10.00".
    pub amount: String,
    /// The provider's page where the client pays it.
    pub pay_url: String,
    /// Until when the time is held, store-local ("Tue 8 Dec 2026, 14:30").
    pub held_until: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppointmentView {
    pub id: AppointmentId,
    pub store_id: StoreId,
    pub store_name: String,
    pub client_name: String,
    pub client_email: Option<String>,
    pub client_mobile: Option<String>,
    pub service: String,
    pub duration_min: i64,
    pub starts_at: UnixTime,
    /// Store-local, human: "Tue 24 Nov 2026, 10:30".
    pub when: String,
    pub associate_id: Option<StaffId>,
    pub associate_name: Option<String>,
    pub status: AppointmentStatus,
    pub source: Source,
    pub notes: String,
    pub version: i64,
    pub created_at: UnixTime,
    pub service_id: ServiceId,
    pub client_id: ClientId,
    pub presence: Presence,
    pub completed: bool,
    pub client_communication: ClientCommunication,
    pub cancel_reason: String,
    /// Held for the client's deposit until then (store-local, human); nobody was told of it yet.
    #[serde(default)]
    pub held_until: Option<String>,
    /// Store-local `YYYY-MM-DD` and `HH:MM` of the start, for edit forms.
    pub local_date: String,
    pub local_time: String,
}

impl AppointmentView {
    /// Still to happen or happening: can be changed, cancelled.
    pub fn is_open(&self) -> bool {
        self.status != AppointmentStatus::Cancelled && !self.completed
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppointmentDetail {
    pub appointment: AppointmentView,
    /// The viewer manages the appointment's store (approve, reassign).
    pub can_manage: bool,
    pub store_slug: String,
    pub services: Vec<ServiceInfo>,
    /// Associates of the appointment's store, for the assign control; empty when the viewer cannot assign.
    pub assignable: Vec<AssociateInfo>,
    pub history: Vec<VersionView>,
    pub attendees: Vec<AttendeeView>,
    /// What the client was sent about this appointment, newest first.
    pub messages: Vec<ClientMessageView>,
    /// The client's tracking link, for staff to pass on.
    pub tracking_url: String,
    /// What the client typed when booking online, if it differs from their record.
    pub booked_as: Option<BookedContact>,
    /// Payments asked of the client for this appointment, newest first.
    #[serde(default)]
    pub payments: Vec<PaymentView>,
    /// The store has a payment provider and the viewer may ask for a payment.
    #[serde(default)]
    pub can_request_payment: bool,
    /// The viewer may give money back (managers).
    #[serde(default)]
    pub can_refund: bool,
    /// The service's price as the amount field shows it ("45.00"), the default of a payment link.
    #[serde(default)]
    pub default_amount: String,
    /// Held by video: staff's (the host's) link to join.
    #[serde(default)]
    pub video_url: Option<String>,
}

/// A payment asked of a client, as staff see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentView {
    pub id: crate::domain::ids::PaymentId,
    /// "£45.00".
    pub amount: String,
    pub status: crate::domain::payments::PaymentStatus,
    pub note: String,
    /// The provider's page the client pays on.
    pub pay_url: String,
    pub requested_at: UnixTime,
    pub paid_at: Option<UnixTime>,
    /// Given back so far ("£10.00"), when anything was.
    pub refunded: Option<String>,
    /// What is left to refund, as the amount field shows it ("35.00"); empty when nothing is.
    pub refundable: String,
    pub refunds: Vec<RefundView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefundView {
    pub amount: String,
    pub status: crate::domain::payments::RefundStatus,
    pub at: UnixTime,
}

/// A store's payment provider, as Setup shows it (the secrets are never sent back).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentAccountView {
    pub connected_at: Option<UnixTime>,
    /// Where the provider posts its events: the URL to give Stripe.
    pub webhook_url: String,
}

/// A payment on the client's tracking page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientPaymentView {
    pub amount: String,
    pub note: String,
    pub status: crate::domain::payments::PaymentStatus,
    /// Where to pay, while it is open.
    pub pay_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionView {
    pub version: i64,
    pub by: String,
    pub at: UnixTime,
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackingView {
    /// "en" or "fr": the `lang` parameter, else the client's language, else the store's.
    pub lang: String,
    /// This page's own address (the link the client keeps).
    pub link: String,
    pub store_name: String,
    pub address: String,
    pub service: String,
    /// In the page's language and the store's time zone.
    pub when: String,
    pub associate_name: Option<String>,
    pub status: AppointmentStatus,
    pub no_show: bool,
    pub completed: bool,
    pub cancel_reason: String,
    pub client_name: String,
    /// While the store awaits the client's confirmation: the time before the proposed change, if it moved.
    pub previous_when: Option<String>,
    pub can_modify: bool,
    pub can_cancel: bool,
    pub can_confirm: bool,
    /// Why each action is not offered, in the page's language (shown when a link asks for it).
    pub modify_refusal: Option<String>,
    pub cancel_refusal: Option<String>,
    pub confirm_refusal: Option<String>,
    pub store_slug: String,
    /// Store-local `YYYY-MM-DD` of the start: where the modify flow's date picker opens.
    pub local_date: String,
    /// Opened through an attendee's own link: who they are. Such a link
    /// offers no change, cancellation or message, only dropping out.
    #[serde(default)]
    pub guest: Option<GuestView>,
    /// What the store asked the client to pay (not shown on an attendee's link).
    #[serde(default)]
    pub payments: Vec<ClientPaymentView>,
    /// Held for its deposit until then (in the page's language); `None` once paid or released.
    #[serde(default)]
    pub held_until: Option<String>,
    /// Held by video: the link to join.
    #[serde(default)]
    pub video_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuestView {
    pub name: String,
    /// They dropped out through their link.
    pub left: bool,
}

/// One bell item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: NotificationId,
    pub seq: i64,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub url: String,
    pub reason: String,
    pub created_at: UnixTime,
    pub read: bool,
    /// What it asked for is done (an awaiting-assignment alert once assigned).
    #[serde(default)]
    pub resolved: bool,
    /// What it is about, for folding repeats into one entry.
    #[serde(default)]
    pub appointment_id: Option<AppointmentId>,
    /// Put away by its reader: kept, shown only in the archive.
    #[serde(default)]
    pub archived: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    pub unread: i64,
    /// Pass as `before_seq` to fetch the next older page; `None` at the end.
    pub next_before: Option<i64>,
}

/// Messages on the live WebSocket, server -> browser. `unread` is always the
/// authoritative badge number after the change the message describes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveMsg {
    /// First message on every connection.
    Hello {
        unread: i64,
        last_seq: i64,
    },
    Notification {
        item: NotificationView,
        unread: i64,
    },
    /// Some of this user's notifications were marked read (on any tab or device).
    Read {
        ids: Vec<NotificationId>,
        unread: i64,
    },
    AllRead {
        unread: i64,
    },
    /// Some of this user's notifications were archived (and so read), on any tab.
    Archived {
        ids: Vec<NotificationId>,
        unread: i64,
    },
    /// An appointment this user can see changed: lists and pages refresh.
    AppointmentChanged {
        appointment_id: AppointmentId,
        store_id: StoreId,
    },
    /// Some of this person's sessions ended (password changed, signed out
    /// elsewhere): each open socket checks its own and closes if it is gone.
    /// Server-internal; never forwarded to a browser.
    SessionsChanged,
    /// This tab's session ended: it goes to the sign-in page.
    SignedOut,
}

/// Browser -> server on the live WebSocket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveClientMsg {
    Ping,
}

pub const CLIENT_COMMUNICATION: &[(ClientCommunication, &str)] = &[
    (ClientCommunication::ClientOnly, "Message the client"),
    (ClientCommunication::ClientAndAttendees, "Message the client and attendees"),
    (ClientCommunication::DoNotSend, "Do not message the client"),
];

/// A staff member's edit of an appointment: the whole desired state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppointmentUpdate {
    pub starts_at: UnixTime,
    pub service_id: ServiceId,
    pub associate_id: Option<StaffId>,
    pub notes: String,
    pub client_communication: ClientCommunication,
    /// Mark it `PendingClientApproval`: the client must agree to the change.
    pub ask_client_to_confirm: bool,
}

/// Staff create an appointment from a client's profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewAppointment {
    pub client_id: ClientId,
    pub service_id: ServiceId,
    pub associate_id: Option<StaffId>,
    pub starts_at: UnixTime,
    pub notes: String,
    pub client_communication: ClientCommunication,
    pub ask_client_to_confirm: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientSummary {
    pub id: ClientId,
    pub store_id: StoreId,
    pub store_name: String,
    pub name: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub language: Language,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientProfile {
    pub client: ClientSummary,
    pub appointments: Vec<AppointmentView>,
    pub services: Vec<ServiceInfo>,
    pub associates: Vec<AssociateInfo>,
    pub store_slug: String,
}

/// A store's profile, as Setup → Stores edits it (`id: None` creates one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreProfileForm {
    pub id: Option<StoreId>,
    pub name: String,
    pub slug: String,
    pub address: String,
    pub phone: String,
    pub time_zone: String,
    pub default_language: String,
    /// An ISO 4217 code ("GBP").
    pub currency: String,
    pub slot_minutes: i64,
    pub horizon_days: i64,
    pub min_notice_minutes: i64,
    /// The meeting link of video appointments, with `{room}` (and `{role}`); empty: none.
    #[serde(default)]
    pub video_url_template: String,
}

/// A closed period of a store: store-local dates, both included.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClosureView {
    pub id: i64,
    pub first_day: String,
    pub last_day: String,
    pub reason: String,
}

/// Everything Setup → Stores → a store shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreSetup {
    pub profile: StoreProfileForm,
    pub hours: crate::domain::hours::WeekForm,
    pub closures: Vec<ClosureView>,
    /// Its payment provider.
    pub payments: PaymentAccountView,
}

/// A service as Setup → Services edits it (`id: None` creates one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceForm {
    pub id: Option<ServiceId>,
    pub store_id: StoreId,
    /// In the store's default language.
    pub name: String,
    /// Its name in other languages, by code; a blank one means "as `name`".
    #[serde(default)]
    pub translations: BTreeMap<String, String>,
    pub duration_min: i64,
    pub price_cents: i64,
    pub buffer_before_min: i64,
    pub buffer_after_min: i64,
    pub bookable_online: bool,
    pub active: bool,
    /// Who performs it; empty: every associate of the store.
    pub performers: Vec<StaffId>,
    /// Held by video (at the store's meeting link), not in the store.
    #[serde(default)]
    pub video: bool,
}

/// A store's services for their editor, and who could perform them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceCatalogue {
    pub services: Vec<ServiceForm>,
    pub associates: Vec<AssociateInfo>,
    pub currency: Currency,
    /// The store's default language first: the one `name` is in.
    pub languages: Vec<Language>,
}

/// A person's days off.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeOffView {
    pub id: i64,
    pub first_day: String,
    pub last_day: String,
    pub reason: String,
}

/// A person's hours at a store and their time off, as their schedule page shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub staff_id: StaffId,
    pub staff_name: String,
    pub store_id: StoreId,
    /// Their own hours; `None`: whenever the store is open.
    pub own_hours: Option<crate::domain::hours::WeekForm>,
    pub store_hours: crate::domain::hours::WeekForm,
    pub time_off: Vec<TimeOffView>,
}

/// Setup → Staff: the people of the stores the viewer manages, and open invitations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeopleView {
    pub people: Vec<PersonView>,
    pub invitations: Vec<InvitationView>,
    /// The stores the viewer may invite into.
    pub stores: Vec<StoreChoice>,
    pub viewer_is_admin: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreChoice {
    pub id: StoreId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreRoleView {
    pub store_id: StoreId,
    pub store_name: String,
    pub role: StoreRole,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonView {
    pub id: StaffId,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
    pub roles: Vec<StoreRoleView>,
    /// Devices they turned notifications on for (Clientbook's "associate not notified").
    #[serde(default)]
    pub devices: i64,
    /// When a push last reached one of them (the push service accepted it).
    #[serde(default)]
    pub last_push_at: Option<UnixTime>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: i64,
    pub email: String,
    pub is_admin: bool,
    pub roles: Vec<StoreRoleView>,
    pub expires_at: UnixTime,
}

/// Who to invite, with which roles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InviteForm {
    pub email: String,
    pub is_admin: bool,
    pub roles: Vec<(StoreId, StoreRole)>,
}

/// What inviting did: the email went out, or (with no mail server) the link to pass on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invited {
    pub id: i64,
    pub emailed: bool,
    /// Only when the email could not be sent: give the person this link yourself.
    pub link: Option<String>,
}

/// What the invitation page shows before the person sets their name and password.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub email: String,
    pub stores: Vec<String>,
}

/// The signed-in person's account page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub name: String,
    pub email: String,
    pub sessions: Vec<SessionView>,
    /// How they want to be told.
    #[serde(default)]
    pub preferences: PreferencesForm,
}

/// A person's notification preferences, as Account → Notifications edits them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PreferencesForm {
    /// One per topic, in `Topic::ALL` order.
    pub topics: Vec<TopicPreference>,
    /// "20:00" and "08:00", or both empty for no quiet hours.
    pub quiet_from: String,
    pub quiet_until: String,
    /// The time zone the quiet hours are in (their first store's).
    #[serde(default)]
    pub time_zone: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicPreference {
    pub topic: crate::domain::preferences::Topic,
    pub delivery: crate::domain::preferences::Delivery,
}

/// One signed-in browser or device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: i64,
    pub signed_in_at: UnixTime,
    /// The session this page is open in.
    pub current: bool,
}

/// The demo sign-in, shown on the login page in demo mode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemoSignIn {
    pub password: String,
    pub accounts: Vec<DemoAccount>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub email: String,
    pub name: String,
    /// In the demo store; `None` for the admin.
    pub role: Option<StoreRole>,
}

/// A client's details as staff correct them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientDetailsForm {
    pub name: String,
    pub email: String,
    pub mobile: String,
    pub language: String,
}

/// The contact a client typed with an online booking, when it differs from
/// the client's record (which the public form never changes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookedContact {
    pub name: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub language: Language,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewClient {
    pub store_id: StoreId,
    pub name: String,
    pub email: String,
    pub mobile: String,
    pub language: String,
}

/// Store notification settings, as the settings page edits them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreSettingsForm {
    pub store_id: StoreId,
    pub notify_all_managers: bool,
    /// When not notifying all managers: who is.
    pub notified_managers: Vec<StaffId>,
    pub notify_unassigned_messages: bool,
    pub notify_overdue_conversations: bool,
    pub overdue_conversation_minutes: i64,
    pub escalation_minutes: i64,
    /// `ApprovalMode` as the form sends it ("automatic" or "manual"); the
    /// command parses it, so a wrong value is an error on this field.
    pub approval_mode: String,
    pub reminder_lead_hours: i64,
    pub recall_days: i64,
    pub thank_you_enabled: bool,
    /// Clients may change or cancel online until this many hours before the start.
    #[serde(default)]
    pub client_cutoff_hours: i64,
    /// Who sends the client messages: Frontdesk, or the store's own tools from webhooks.
    #[serde(default)]
    pub client_messages_sent_by: crate::domain::messages::SentBy,
    /// A deposit at online booking: none, a fixed amount, or the full price.
    #[serde(default)]
    pub deposit_rule: crate::domain::payments::DepositRuleKind,
    /// The fixed deposit as typed ("10", "12.50"), for `DepositRuleKind::Amount`.
    #[serde(default)]
    pub deposit_amount: String,
    /// How long a booking waits for its deposit before its time is released.
    #[serde(default = "default_hold_minutes")]
    pub deposit_hold_minutes: i64,
}

fn default_hold_minutes() -> i64 {
    30
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreSettingsPage {
    pub store_name: String,
    /// Whether the store has a payment provider (deposits need one).
    #[serde(default)]
    pub payments_connected: bool,
    /// The store's currency sign, for the deposit field ("£").
    #[serde(default)]
    pub currency: crate::domain::money::Currency,
    pub managers: Vec<AssociateInfo>,
    pub settings: StoreSettingsForm,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub client_name: String,
    pub store_name: String,
    pub associate_name: Option<String>,
    pub unread: i64,
    pub last_message_at: UnixTime,
    pub preview: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: ConversationMessageId,
    pub from_client: bool,
    pub author: String,
    pub body: String,
    pub at: UnixTime,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConversationThread {
    pub summary: ConversationSummary,
    pub client_id: ClientId,
    pub messages: Vec<MessageView>,
}

/// One of my devices with notifications on, for the Diagnostics page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceView {
    pub id: DeviceId,
    pub label: String,
    /// The push endpoint (the owner's own device): tells "this device" apart.
    pub endpoint: String,
    pub endpoint_host: String,
    pub created_at: UnixTime,
    pub last_used_at: UnixTime,
    pub last_status: Option<i64>,
    pub last_result: Option<String>,
    pub last_attempt_at: Option<UnixTime>,
}

/// A webhook endpoint as an admin types it (UI and REST API).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EndpointInput {
    /// The store whose events it takes.
    pub store_id: StoreId,
    /// Where deliveries go: https, or http to an allow-listed address.
    pub url: String,
    /// "POST" (default) or "PUT".
    #[serde(default)]
    pub method: String,
    /// Which event types it takes (see the docs page for the list).
    pub event_types: Vec<String>,
    #[serde(default)]
    pub description: String,
    /// Sign deliveries with Standard Webhooks (default true).
    #[serde(default)]
    pub signing: Option<bool>,
    /// Turn a disabled endpoint back on (updates only).
    #[serde(default)]
    pub enabled: Option<bool>,
    /// A static header sent with every delivery, e.g. an API key the receiver expects.
    #[serde(default)]
    pub header_name: Option<String>,
    /// On update, leave it out to keep the stored value of the same header.
    #[serde(default)]
    pub header_value: Option<String>,
    /// OAuth2 client credentials: a bearer token fetched from `token_url`.
    #[serde(default)]
    pub oauth: Option<OAuthInput>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OAuthInput {
    pub token_url: String,
    pub client_id: String,
    /// On update, leave it empty to keep the stored secret of the same client.
    #[serde(default)]
    pub client_secret: String,
    #[serde(default)]
    pub scope: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EndpointView {
    pub id: EndpointId,
    pub store_id: StoreId,
    pub url: String,
    pub method: WebhookMethod,
    pub event_types: Vec<WebhookEventType>,
    pub description: String,
    pub enabled: bool,
    /// Why it was turned off, when it was.
    pub disabled_reason: String,
    /// The `whsec_` secret receivers verify signatures with (admins only).
    pub signing_secret: Option<String>,
    /// The previous secret still signs alongside (for 24 h after a rotation).
    pub previous_secret_active: bool,
    pub header_name: Option<String>,
    pub oauth_token_url: Option<String>,
    pub oauth_client_id: Option<String>,
    pub oauth_scope: Option<String>,
    pub created_at: UnixTime,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    pub id: DeliveryId,
    pub endpoint_id: EndpointId,
    /// The `webhook-id` header: the same on every attempt.
    pub msg_id: String,
    pub event_type: WebhookEventType,
    pub status: DeliveryStatus,
    pub attempt_count: i64,
    pub next_attempt_at: Option<UnixTime>,
    pub last_status_code: Option<i64>,
    pub last_error: String,
    pub created_at: UnixTime,
    /// The JSON body sent.
    pub payload: String,
    pub attempts: Vec<AttemptView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttemptView {
    pub at: UnixTime,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    /// The first 2 KB of the answer.
    pub response: String,
    pub error: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyView {
    pub id: ApiKeyId,
    pub name: String,
    /// The key's first characters, to recognise it by.
    pub prefix: String,
    pub created_by: String,
    pub created_at: UnixTime,
    pub last_used_at: Option<UnixTime>,
    pub revoked_at: Option<UnixTime>,
}

/// A new key: `key` is shown this once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub view: ApiKeyView,
    pub key: String,
}
