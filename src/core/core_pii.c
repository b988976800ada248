/*
 * core_pii.c - card numbers, IBANs, e-mails, phone numbers and national
 * identity numbers in text
 * (core_pii.h). Hand-written scanners: each looks at a bounded window
 * from a start character, so the whole pass is linear in the text.
 */
#include "core_pii.h"

#include <string.h>

static int dig(unsigned char c)
{
  return c >= '0' && c <= '9';
}

static int upper(unsigned char c)
{
  return c >= 'A' && c <= 'Z';
}

static int alnum(unsigned char c)
{
  return dig(c) || upper(c) || (c >= 'a' && c <= 'z');
}

int pii_luhn(const char *d, size_t n)
{
  if(n == 0)
    return 0;
  unsigned sum = 0;
  for(size_t i = 0; i < n; i++) {
    if(!dig((unsigned char)d[n - 1 - i]))
      return 0;
    unsigned v = (unsigned)(d[n - 1 - i] - '0');
    if(i % 2 == 1) {
      v *= 2;
      if(v > 9)
        v -= 9;
    }
    sum += v;
  }
  return sum % 10 == 0;
}

/* The first k digits as a number. */
static unsigned prefix(const char *d, size_t k)
{
  unsigned v = 0;
  for(size_t i = 0; i < k; i++)
    v = v * 10 + (unsigned)(d[i] - '0');
  return v;
}

/* Issuer identification numbers and lengths of the major networks. */
const char *pii_card_brand(const char *d, size_t n)
{
  if(n < 13 || n > 19)
    return NULL;
  for(size_t i = 0; i < n; i++)
    if(!dig((unsigned char)d[i]))
      return NULL;
  unsigned p1 = prefix(d, 1), p2 = prefix(d, 2), p3 = prefix(d, 3), p4 = prefix(d, 4),
           p6 = prefix(d, 6);
  if(p1 == 4 && (n == 13 || n == 16 || n == 19))
    return "Visa";
  if(((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n == 16)
    return "Mastercard";
  if((p2 == 34 || p2 == 37) && n == 15)
    return "American Express";
  if((p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 ||
      (p6 >= 622126 && p6 <= 622925)) && n >= 16 && n <= 19)
    return "Discover";
  if(p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19)
    return "JCB";
  if(((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) && n >= 14 && n <= 19)
    return "Diners Club";
  if(p2 == 62 && n >= 16 && n <= 19)
    return "UnionPay";
  return NULL;
}

/* IBAN lengths by country (the ISO 13616 registry). */
static const struct {
  char cc[3];
  unsigned char len;
} iban_len[] = {
  {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
  {"BG", 22}, {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28},
  {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24},
  {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18},
  {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23},
  {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
  {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22},
  {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
  {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
  {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"TN", 24}, {"TR", 26},
  {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
};

static int iban_country_len(const char *s)
{
  for(size_t i = 0; i < sizeof(iban_len) / sizeof(iban_len[0]); i++)
    if(s[0] == iban_len[i].cc[0] && s[1] == iban_len[i].cc[1])
      return iban_len[i].len;
  return 0;
}

static unsigned char up(unsigned char c)
{
  return c >= 'a' && c <= 'z' ? (unsigned char)(c - 32) : c;
}

int pii_iban_valid(const char *s, size_t n)
{
  if(n < 15 || n > 34)
    return 0;
  char cc[2] = {(char)up((unsigned char)s[0]), (char)up((unsigned char)s[1])};
  if(!upper((unsigned char)cc[0]) || !upper((unsigned char)cc[1]) ||
     !dig((unsigned char)s[2]) || !dig((unsigned char)s[3]))
    return 0;
  if((size_t)iban_country_len(cc) != n)
    return 0;
  /* Move the first four characters to the end, letters to 10..35, and
   * take the number mod 97 a digit at a time. */
  unsigned rem = 0;
  for(size_t k = 0; k < n; k++) {
    unsigned char c = up((unsigned char)s[(k + 4) % n]);
    if(dig(c))
      rem = (rem * 10 + (unsigned)(c - '0')) % 97;
    else if(upper(c))
      rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
    else
      return 0;
  }
  return rem == 1;
}

static void hit(struct pii_hit *out, size_t max, size_t *k, enum pii_kind kind, size_t from,
                size_t to, const char *brand)
{
  if(*k < max)
    out[*k] = (struct pii_hit){kind, from, to, brand};
  (*k)++;
}

/* A card number from i: 13 to 19 digits, one kind of separator (space or
 * dash) allowed between groups. Returns the end, or 0. */
static size_t card_at(const char *s, size_t n, size_t i, char *digits, size_t *nd)
{
  char sep = 0;
  size_t j = i;
  *nd = 0;
  while(j < n) {
    unsigned char c = (unsigned char)s[j];
    if(dig(c)) {
      if(*nd == 19)
        return 0; /* longer than any card */
      digits[(*nd)++] = (char)c;
      j++;
      continue;
    }
    if((c == ' ' || c == '-') && j + 1 < n && dig((unsigned char)s[j + 1]) &&
       (sep == 0 || sep == (char)c)) {
      sep = (char)c;
      j++;
      continue;
    }
    break;
  }
  /* Not the start of a longer word or a decimal number. */
  if(j < n && (alnum((unsigned char)s[j]) || (s[j] == '.' && j + 1 < n && dig((unsigned char)s[j + 1]))))
    return 0;
  return *nd >= 13 ? j : 0;
}

/* An IBAN from i (two upper-case letters, two digits, then the BBAN,
 * spaces allowed between groups), of the country's length. Returns the
 * end, or 0. */
static size_t iban_at(const char *s, size_t n, size_t i)
{
  if(i + 4 > n || !upper((unsigned char)s[i]) || !upper((unsigned char)s[i + 1]) ||
     !dig((unsigned char)s[i + 2]) || !dig((unsigned char)s[i + 3]))
    return 0;
  int want = iban_country_len(s + i);
  if(!want)
    return 0;
  char c[34];
  size_t nc = 0, j = i;
  while(j < n && nc < (size_t)want) {
    unsigned char x = (unsigned char)s[j];
    if(alnum(x)) {
      c[nc++] = (char)x;
      j++;
    } else if(x == ' ' && nc >= 4 && j + 1 < n && alnum((unsigned char)s[j + 1])) {
      j++;
    } else {
      break;
    }
  }
  if(nc != (size_t)want || (j < n && alnum((unsigned char)s[j])))
    return 0;
  return pii_iban_valid(c, nc) ? j : 0;
}

/* ---- national identity numbers ------------------------------------------ */

static unsigned dval(const char *s, size_t from, size_t k)
{
  unsigned v = 0;
  for(size_t i = 0; i < k; i++)
    v = v * 10 + (unsigned)(s[from + i] - '0');
  return v;
}

/* The digits of s[0..n), in order, into d (at most 16); their count. */
static size_t digits_of(const char *s, size_t n, char *d)
{
  size_t k = 0;
  for(size_t i = 0; i < n && k < 16; i++)
    if(dig((unsigned char)s[i]))
      d[k++] = s[i];
  return k;
}

static int all_same(const char *d, size_t k)
{
  for(size_t i = 1; i < k; i++)
    if(d[i] != d[0])
      return 0;
  return 1;
}

static int chk_cpf(const char *s, size_t n)
{
  char d[16];
  if(digits_of(s, n, d) != 11 || all_same(d, 11))
    return 0;
  for(size_t pos = 9; pos <= 10; pos++) {
    unsigned sum = 0;
    for(size_t i = 0; i < pos; i++)
      sum += (unsigned)(d[i] - '0') * (unsigned)(pos + 1 - i);
    if((sum * 10) % 11 % 10 != (unsigned)(d[pos] - '0'))
      return 0;
  }
  return 1;
}

static int chk_bsn(const char *s, size_t n)
{
  char d[16];
  if(digits_of(s, n, d) != 9 || all_same(d, 9))
    return 0;
  int sum = 0;
  for(int i = 0; i < 8; i++)
    sum += (d[i] - '0') * (9 - i);
  sum -= d[8] - '0';
  return sum % 11 == 0;
}

static int day_month(unsigned dd, unsigned mm)
{
  return dd >= 1 && dd <= 31 && mm >= 1 && mm <= 12;
}

static int chk_hetu(const char *s, size_t n)
{
  static const char tab[] = "0123456789ABCDEFHJKLMNPRSTUVWXY";
  if(n != 11 || !day_month(dval(s, 0, 2), dval(s, 2, 2)))
    return 0;
  unsigned long v = (unsigned long)dval(s, 0, 6) * 1000UL + dval(s, 7, 3);
  return tab[v % 31] == s[10];
}

static const char dni_letters[] = "TRWAGMYFPDXBNJZSQVHLCKE";

static int chk_dni(const char *s, size_t n)
{
  char d[16];
  if(digits_of(s, n, d) != 8 || all_same(d, 8))
    return 0;
  return dni_letters[dval(d, 0, 8) % 23] == s[n - 1];
}

static int chk_nie(const char *s, size_t n)
{
  char d[16];
  if(digits_of(s, n, d) != 7)
    return 0;
  unsigned v = (unsigned)(s[0] - 'X') * 10000000u + dval(d, 0, 7);
  return dni_letters[v % 23] == s[n - 1];
}

/* Verhoeff: the dihedral group D5's multiplication and permutation. */
static const unsigned char vh_d[10][10] = {
  {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
  {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
  {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
  {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
static const unsigned char vh_p[8][10] = {
  {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
  {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 7, 8, 6, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
  {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};

int pii_verhoeff(const char *d, size_t n)
{
  if(n == 0)
    return 0;
  unsigned c = 0;
  for(size_t i = 0; i < n; i++) {
    if(!dig((unsigned char)d[n - 1 - i]))
      return 0;
    c = vh_d[c][vh_p[i % 8][d[n - 1 - i] - '0']];
  }
  return c == 0;
}

static int chk_aadhaar(const char *s, size_t n)
{
  char d[16];
  return digits_of(s, n, d) == 12 && d[0] >= '2' && pii_verhoeff(d, 12);
}

/* Codice fiscale: the value of each character at odd (1st, 3rd, ...) and
 * even positions, by the Ministry of Finance's tables. */
static int chk_cf(const char *s, size_t n)
{
  static const unsigned char odd[36] = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21, /* 0-9 */
                                        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3,
                                        6, 8, 12, 14, 16, 10, 22, 25, 24, 23}; /* A-Z */
  if(n != 16 || !strchr("ABCDEHLMPRST", s[8]))
    return 0;
  /* The day, omocodia letters back to digits: 1-31, or 41-71 (women). */
  static const char omo[] = "LMNPQRSTUV";
  unsigned dd = 0;
  for(size_t i = 9; i <= 10; i++) {
    const char *o = dig((unsigned char)s[i]) ? NULL : strchr(omo, s[i]);
    dd = dd * 10 + (o ? (unsigned)(o - omo) : (unsigned)(s[i] - '0'));
  }
  if(!((dd >= 1 && dd <= 31) || (dd >= 41 && dd <= 71)))
    return 0;
  unsigned sum = 0;
  for(size_t i = 0; i < 15; i++) {
    unsigned char c = (unsigned char)s[i];
    unsigned idx = dig(c) ? (unsigned)(c - '0') : (unsigned)(c - 'A' + 10);
    sum += i % 2 == 0 ? odd[idx] : (dig(c) ? (unsigned)(c - '0') : (unsigned)(c - 'A'));
  }
  return s[15] == (char)('A' + sum % 26);
}

static int chk_pnr(const char *s, size_t n)
{
  char d[16];
  size_t k = digits_of(s, n, d);
  if(k != 10 && k != 12)
    return 0;
  const char *t = d + (k - 10);
  unsigned mm = dval(t, 2, 2), dd = dval(t, 4, 2);
  if(dd > 60)
    dd -= 60; /* a coordination number (samordningsnummer) */
  return day_month(dd, mm) && pii_luhn(t, 10);
}

/* The formats: a template ('d' digit, 'U' upper-case letter, 'o' digit
 * or omocodia letter, 'C' a HETU century sign, 'S' - or +, 'x' X Y or Z,
 * 'h' a HETU check character; anything else stands for itself), the
 * check, and the names one of which must come before a format that
 * passes by chance too often (NULL: none needed). Longer first. */
static const char *const names_cpf[] = {"cpf", NULL};
static const char *const names_bsn[] = {"bsn", "burgerservice", "sofinummer", "sofi_nummer", NULL};
static const char *const names_aadhaar[] = {"aadhaar", "aadhar", "uidai", NULL};

static const struct natid {
  const char *tmpl;
  const char *brand;
  int (*check)(const char *s, size_t n);
  const char *const *names;
} natids[] = {
  {"UUUUUUooUooUoooU", "IT codice fiscale", chk_cf, NULL},
  {"dddd dddd dddd", "IN Aadhaar", chk_aadhaar, names_aadhaar},
  {"dddd-dddd-dddd", "IN Aadhaar", chk_aadhaar, names_aadhaar},
  {"ddd.ddd.ddd-dd", "BR CPF", chk_cpf, NULL},
  {"ddddddddSdddd", "SE personnummer", chk_pnr, NULL},
  {"dddddddddddd", "IN Aadhaar", chk_aadhaar, names_aadhaar},
  {"ddddddSdddd", "SE personnummer", chk_pnr, NULL},
  {"ddddddCdddh", "FI HETU", chk_hetu, NULL},
  {"ddddddddddd", "BR CPF", chk_cpf, names_cpf},
  {"x-ddddddd-U", "ES NIE", chk_nie, NULL},
  {"dddddddd-U", "ES DNI", chk_dni, NULL},
  {"ddddddddU", "ES DNI", chk_dni, NULL},
  {"xdddddddU", "ES NIE", chk_nie, NULL},
  {"ddddddddd", "NL BSN", chk_bsn, names_bsn},
};

static int tmpl_char(char t, unsigned char c)
{
  switch(t) {
  case 'd': return dig(c);
  case 'U': return upper(c);
  case 'o': return dig(c) || (c && strchr("LMNPQRSTUV", c));
  case 'C': return c && strchr("+-ABCDEFUVWXY", c);
  case 'S': return c == '-' || c == '+';
  case 'x': return c == 'X' || c == 'Y' || c == 'Z';
  case 'h': return dig(c) || (c && strchr("ABCDEFHJKLMNPRSTUVWXY", c));
  default: return (unsigned char)t == c;
  }
}

/* 1 when s[i..i+len(t)) matches the template t. */
static int tmpl_match(const char *s, size_t n, size_t i, const char *t)
{
  size_t k = strlen(t);
  if(i + k > n)
    return 0;
  for(size_t j = 0; j < k; j++)
    if(!tmpl_char(t[j], (unsigned char)s[i + j]))
      return 0;
  return 1;
}

const char *pii_natid_valid(const char *s, size_t n)
{
  for(size_t i = 0; i < sizeof(natids) / sizeof(natids[0]); i++)
    if(strlen(natids[i].tmpl) == n && tmpl_match(s, n, 0, natids[i].tmpl) &&
       natids[i].check(s, n))
      return natids[i].brand;
  return NULL;
}

/* One of names (lower case) in the 40 bytes before i, any case. */
static int name_before(const char *s, size_t i, const char *const *names)
{
  size_t from = i > 40 ? i - 40 : 0;
  char w[41];
  size_t k = 0;
  for(size_t j = from; j < i; j++) {
    unsigned char c = (unsigned char)s[j];
    w[k++] = (char)(upper(c) ? c + 32 : (c ? c : ' '));
  }
  w[k] = '\0';
  for(size_t j = 0; names[j]; j++)
    if(strstr(w, names[j]))
      return 1;
  return 0;
}

/* A national id from i: its end, brand in *brand; or 0. */
static size_t natid_at(const char *s, size_t n, size_t i, const char **brand)
{
  for(size_t k = 0; k < sizeof(natids) / sizeof(natids[0]); k++) {
    const struct natid *t = &natids[k];
    if(!tmpl_match(s, n, i, t->tmpl))
      continue;
    size_t e = i + strlen(t->tmpl);
    /* Not the start of a longer word or number. */
    if(e < n && (alnum((unsigned char)s[e]) ||
                 ((s[e] == '.' || s[e] == '-' || s[e] == ' ' || s[e] == '+') && e + 1 < n &&
                  dig((unsigned char)s[e + 1]))))
      continue;
    if(t->names && !name_before(s, i, t->names))
      continue;
    if(t->check(s + i, e - i)) {
      *brand = t->brand;
      return e;
    }
  }
  return 0;
}

static int email_local(unsigned char c)
{
  return alnum(c) || (c && strchr("._%+-", c));
}

/* An e-mail around the '@' at i: [from, to), or 0. */
static size_t email_at(const char *s, size_t n, size_t i, size_t *from)
{
  size_t a = i;
  while(a > 0 && i - a < 64 && email_local((unsigned char)s[a - 1]))
    a--;
  while(a < i && s[a] == '.')
    a++;
  if(a == i)
    return 0;
  /* The user and password of a URL ("scheme://user:pass@host") are no
   * address: look back over the token for "://". */
  for(size_t b = a, k = 0; b >= 3 && k < 256; b--, k++) {
    unsigned char c = (unsigned char)s[b - 1];
    if(c <= ' ' || c == '"' || c == '\'' || c == ',' || c == '<' || c == '(')
      break;
    if(c == '/' && s[b - 2] == '/' && s[b - 3] == ':')
      return 0;
  }
  size_t j = i + 1, dots = 0, last_dot = 0;
  while(j < n && j - i < 255) {
    unsigned char c = (unsigned char)s[j];
    if(alnum(c) || c == '-') {
      j++;
    } else if(c == '.' && j + 1 < n && alnum((unsigned char)s[j + 1]) && s[j - 1] != '.' &&
              j > i + 1) {
      dots++;
      last_dot = j;
      j++;
    } else {
      break;
    }
  }
  if(!dots)
    return 0;
  /* The top-level domain: two letters or more, no digit. */
  size_t tl = 0;
  for(size_t k = last_dot + 1; k < j; k++) {
    if(!((s[k] >= 'a' && s[k] <= 'z') || upper((unsigned char)s[k])))
      return 0;
    tl++;
  }
  if(tl < 2)
    return 0;
  *from = a;
  return j;
}

/* An E.164 phone number from the '+' at i: [i, end), or 0. */
static size_t phone_at(const char *s, size_t n, size_t i)
{
  if(i + 1 >= n || !dig((unsigned char)s[i + 1]) || s[i + 1] == '0')
    return 0;
  size_t j = i + 1, nd = 0;
  while(j < n) {
    unsigned char c = (unsigned char)s[j];
    if(dig(c)) {
      nd++;
      j++;
    } else if((c == ' ' || c == '-') && j + 1 < n && dig((unsigned char)s[j + 1])) {
      j++;
    } else {
      break;
    }
    if(nd > 15)
      return 0;
  }
  if(nd < 8 || (j < n && alnum((unsigned char)s[j])))
    return 0;
  return j;
}

size_t pii_find(const char *s, size_t n, struct pii_hit *out, size_t max)
{
  size_t k = 0;
  char digits[20];
  for(size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    unsigned char prev = i ? (unsigned char)s[i - 1] : 0;
    if(dig(c) && !alnum(prev) && prev != '.' && prev != '+' && prev != '-') {
      size_t nd, e = card_at(s, n, i, digits, &nd);
      const char *brand = e ? pii_card_brand(digits, nd) : NULL;
      if(brand && pii_luhn(digits, nd)) {
        hit(out, max, &k, PII_CARD, i, e, brand);
        i = e - 1;
        continue;
      }
      const char *nb = NULL;
      size_t ne = natid_at(s, n, i, &nb);
      if(ne) {
        hit(out, max, &k, PII_NATID, i, ne, nb);
        i = ne - 1;
        continue;
      }
      /* Skip the rest of this number: its tail is not a new one. */
      while(i + 1 < n && dig((unsigned char)s[i + 1]))
        i++;
      continue;
    }
    if(upper(c) && !alnum(prev)) {
      size_t e = iban_at(s, n, i);
      if(e) {
        hit(out, max, &k, PII_IBAN, i, e, NULL);
        i = e - 1;
        continue;
      }
      const char *nb = NULL;
      e = natid_at(s, n, i, &nb);
      if(e) {
        hit(out, max, &k, PII_NATID, i, e, nb);
        i = e - 1;
        continue;
      }
    }
    if(c == '@') {
      size_t from, e = email_at(s, n, i, &from);
      if(e) {
        hit(out, max, &k, PII_EMAIL, from, e, NULL);
        i = e - 1;
        continue;
      }
    }
    if(c == '+' && !alnum(prev)) {
      size_t e = phone_at(s, n, i);
      if(e) {
        hit(out, max, &k, PII_PHONE, i, e, NULL);
        i = e - 1;
        continue;
      }
    }
  }
  return k;
}
