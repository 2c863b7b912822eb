"""Webhooks: API clients told of certifications and disputes as they happen (docs/api.md,
"Webhooks"). addresses: which URLs may be called; signing: the signature each call carries;
schedule: when a failed call is tried again; payloads: what a call says; services: the
deliveries and each try; receivers: the case events that make deliveries."""
