/*
 * core_pii.h - personal and payment data in text: card numbers (Luhn and
 * issuer prefix), IBANs (ISO 13616 mod-97 and the country's length),
 * e-mail addresses, international phone numbers, and national
 * identity numbers whose format has a check digit (pii_natid_valid).
 *
 * What warden judges as sensitive data in a response (chk_data) besides
 * the secret formats of core_mask (mask_find). libc only; the text may
 * hold NUL bytes and is never read past n. tests/unit/test_core.c holds
 * the published test vectors; tests/fuzz/fuzz_pii.c fuzzes pii_find.
 */
#ifndef WD_CORE_PII_H
#define WD_CORE_PII_H
#include <stddef.h>

enum pii_kind { PII_CARD = 1, PII_IBAN, PII_EMAIL, PII_PHONE, PII_NATID };

struct pii_hit {
  enum pii_kind kind;
  size_t from, to;     /* the value as written (spaces or dashes kept) */
  const char *brand;   /* cards: "Visa", "Mastercard", ...; national ids:
                          "BR CPF", "NL BSN", ... (pii_natid_valid);
                          else NULL */
};

/* 1 when the n digits pass the Luhn check (ISO/IEC 7812-1). */
int pii_luhn(const char *digits, size_t n);
/* 1 when the n digits pass the Verhoeff check (the Aadhaar check digit). */
int pii_verhoeff(const char *digits, size_t n);
/* The issuer of a card number of n digits (prefix and length), or NULL. */
const char *pii_card_brand(const char *digits, size_t n);
/* 1 when s[0..n) (no spaces, any case) is an IBAN: a known country code,
 * that country's length, and the mod-97 check equal to 1. */
int pii_iban_valid(const char *s, size_t n);
/* The national identity number s[0..n) is, as written (separators
 * included), when its check digits hold; NULL otherwise:
 *   "BR CPF"            ddd.ddd.ddd-dd or 11 digits, two mod-11 digits
 *                       (not one digit repeated);
 *   "NL BSN"            9 digits, the 11-proof (9*d1 + ... + 2*d8 - d9);
 *   "FI HETU"           ddmmyy, a century sign (+ - A B C D E F U V W X
 *                       Y), 3 digits, the mod-31 check character;
 *   "ES DNI", "ES NIE"  8 digits (or X, Y, Z and 7) and the mod-23
 *                       letter, a dash before it allowed;
 *   "IN Aadhaar"        12 digits (4-4-4 groups by space or dash
 *                       allowed), first 2-9, Verhoeff check digit;
 *   "IT codice fiscale" 16 characters (omocodia letters allowed) with
 *                       the check letter;
 *   "SE personnummer"   [yy]yymmdd, - or +, 4 digits; Luhn over the last
 *                       10 digits.
 * Dates are checked for month and day ranges. */
const char *pii_natid_valid(const char *s, size_t n);
/* Finds cards, IBANs, e-mails, phone numbers and national ids in s[0..n), by position;
 * at most max in out; returns the count of all. A card or an IBAN is
 * reported only when its check digits hold; a phone number only in
 * E.164 form ("+" and 8 to 15 digits, spaces or dashes between groups).
 * A national id only when its check holds; the formats that are plain
 * digits and pass by chance too often (a BSN, an Aadhaar number, a CPF
 * without its dots) only after their name ("bsn", "aadhaar", "cpf", ...)
 * in the 40 bytes before them (a JSON key, a label). */
size_t pii_find(const char *s, size_t n, struct pii_hit *out, size_t max);

#endif
