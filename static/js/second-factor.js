// Once a security key is added (django-otp-webauthn's script), show the page again with it listed.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
