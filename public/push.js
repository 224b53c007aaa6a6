// Browser side of Web Push, called from the Rust app (window.FrontdeskPush).
// Kept in plain JS: these are thin promise-returning wrappers around browser APIs.
(function () {
  const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  const isIos = () => /iphone|ipad|ipod/i.test(navigator.userAgent) || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
  const standalone = () => window.matchMedia('(display-mode: standalone)').matches || navigator.standalone === true;

  function keyBytes(b64) {
    const s = (b64 + '==='.slice((b64.length + 3) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  }

  function deviceLabel() {
    const ua = navigator.userAgent;
    const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
    const os = /Android/.test(ua) ? 'Android' : isIos() ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : 'unknown OS';
    return `${browser} on ${os}`;
  }

  async function registration() {
    return navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready);
  }

  window.FrontdeskPush = {
    /** "unsupported" | "ios-needs-install" | "default" | "granted" | "denied" */
    state() {
      if (isIos() && !standalone()) return 'ios-needs-install';
      if (!supported()) return 'unsupported';
      return Notification.permission;
    },
    label: deviceLabel,
    /** Registers the service worker (no permission prompt). */
    async register() {
      if (!('serviceWorker' in navigator)) return false;
      await registration();
      return true;
    },
    /** The endpoint of this device's subscription, or "" if none. */
    async current() {
      if (!supported()) return '';
      const reg = await registration();
      const sub = await reg.pushManager.getSubscription();
      return sub ? sub.endpoint : '';
    },
    /** Asks permission (call from a click) and subscribes; resolves to the subscription as JSON text. */
    async subscribe(vapidPublicKey) {
      if (!supported()) throw new Error('This browser cannot receive push notifications.');
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') throw new Error('Notifications are blocked for Frontdesk. Allow them in the browser\u2019s site settings, then try again.');
      const reg = await registration();
      const existing = await reg.pushManager.getSubscription();
      const sub = existing || await Promise.race([
        reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(vapidPublicKey) }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('The browser\u2019s push service did not answer. Check the network connection and try again.')), 15000)),
      ]);
      return JSON.stringify(sub.toJSON());
    },
    /** Sets the app icon badge where supported. */
    badge(unread) {
      if (!navigator.setAppBadge) return;
      (unread > 0 ? navigator.setAppBadge(unread) : navigator.clearAppBadge()).catch(() => {});
    },
  };
})();
