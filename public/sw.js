// Frontdesk service worker: shows pushes when the app is closed, opens the
// right page when one is tapped, and keeps the app badge in step.

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

async function setBadge(unread) {
  if (typeof unread !== 'number' || !self.navigator.setAppBadge) return;
  try {
    if (unread > 0) await self.navigator.setAppBadge(unread);
    else await self.navigator.clearAppBadge();
  } catch (_) { /* not supported here */ }
}

self.addEventListener('push', (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (_) { data = { title: 'Frontdesk', body: event.data ? event.data.text() : '' }; }
  event.waitUntil((async () => {
    // A silent push closes what was read on another device.
    if (data.silent) {
      const tags = new Set(data.tags || []);
      for (const n of await self.registration.getNotifications()) {
        if (data.all || tags.has(n.tag)) n.close();
      }
      return setBadge(data.unread);
    }
    await self.registration.showNotification(data.title || 'Frontdesk', {
      body: data.body || '',
      tag: data.tag || undefined,
      renotify: Boolean(data.tag),
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: data.url || '/staff', id: data.id },
    });
    await setBadge(data.unread);
  })());
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || '/staff', self.location.origin).href;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const w of windows) {
      if (new URL(w.url).origin === self.location.origin) {
        await w.focus();
        return w.navigate(url);
      }
    }
    return self.clients.openWindow(url);
  })());
});
