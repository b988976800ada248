/*
 * core_pii.h - personal and payment data in text: card numbers (Luhn and
 * issuer prefix), IBANs (ISO 13616 mod-97 and the country's length),
 * e-mail addresses and international phone numbers.
 *
 * What warden judges as sensitive data in a response (chk_data) besides
 * the secret formats of core_mask (mask_find). libc only; the text may
 * hold NUL bytes and is never read past n. tests/unit/test_core.c holds
 * the published test vectors; tests/fuzz/fuzz_pii.c fuzzes pii_find.
 */
#ifndef WD_CORE_PII_H
#define WD_CORE_PII_H
#include <stddef.h>

enum pii_kind { PII_CARD = 1, PII_IBAN, PII_EMAIL, PII_PHONE };

struct pii_hit {
  enum pii_kind kind;
  size_t from, to;     /* the value as written (spaces or dashes kept) */
  const char *brand;   /* cards: "Visa", "Mastercard", ...; IBANs: the
                          country code's table entry ("GB"); else NULL */
};

/* 1 when the n digits pass the Luhn check (ISO/IEC 7812-1). */
int pii_luhn(const char *digits, size_t n);
/* The issuer of a card number of n digits (prefix and length), or NULL. */
const char *pii_card_brand(const char *digits, size_t n);
/* 1 when s[0..n) (no spaces, any case) is an IBAN: a known country code,
 * that country's length, and the mod-97 check equal to 1. */
int pii_iban_valid(const char *s, size_t n);
/* Finds cards, IBANs, e-mails and phone numbers in s[0..n), by position;
 * at most max in out; returns the count of all. A card or an IBAN is
 * reported only when its check digits hold; a phone number only in
 * E.164 form ("+" and 8 to 15 digits, spaces or dashes between groups). */
size_t pii_find(const char *s, size_t n, struct pii_hit *out, size_t max);

#endif
