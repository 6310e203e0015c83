// Editors enter scheduled times in their own time zone: tell the server which one the browser
// uses (ignite.middleware.EditorTimeZoneMiddleware reads the cookie on admin pages).
"use strict";

(() => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) {
    return;
  }
  const current = document.cookie.split("; ").find((item) => item.startsWith("editor_tz="));
  if (current !== `editor_tz=${encodeURIComponent(zone)}`) {
    document.cookie = `editor_tz=${encodeURIComponent(zone)}; path=/; max-age=31536000; SameSite=Lax`;
  }
})();
