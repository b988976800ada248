#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/core/core_buf.h"
#include "../../src/core/core_file.h"
#include "../../src/core/core_mask.h"
#include "../../src/core/core_pii.h"
#include "../../src/core/core_str.h"

static void buf_caps_at_limit(void **state)
{
  (void)state;
  struct buf b;
  buf_init(&b, 8);
  assert_int_equal(buf_append(&b, "hello", 5), 0);
  assert_int_equal(buf_append(&b, "world", 5), -1);
  assert_int_equal(b.len, 8);
  assert_true(b.truncated);
  assert_string_equal(buf_str(&b), "hellowor");
  buf_cleanup(&b);
}

/* Published test vectors: the Luhn example of ISO/IEC 7812's usual
 * illustration (79927398713), the payment processors' documented test
 * card numbers, and the IBAN examples of the ISO 13616 registry. */
static void luhn_and_card_vectors(void **state)
{
  (void)state;
  assert_true(pii_luhn("79927398713", 11));
  assert_false(pii_luhn("79927398710", 11));
  static const struct { const char *pan, *brand; } ok[] = {
    {"4111111111111111", "Visa"}, {"4012888888881881", "Visa"},
    {"5555555555554444", "Mastercard"}, {"2223003122003222", "Mastercard"},
    {"378282246310005", "American Express"}, {"371449635398431", "American Express"},
    {"6011111111111117", "Discover"}, {"3530111333300000", "JCB"},
    {"30569309025904", "Diners Club"}, {"6200000000000005", "UnionPay"},
  };
  for(size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
    size_t n = strlen(ok[i].pan);
    assert_true(pii_luhn(ok[i].pan, n));
    assert_string_equal(pii_card_brand(ok[i].pan, n), ok[i].brand);
  }
  assert_false(pii_luhn("4111111111111112", 16));
  assert_null(pii_card_brand("9111111111111111", 16)); /* no issuer */
  assert_null(pii_card_brand("411111111111", 12));     /* too short */
}

static void iban_vectors(void **state)
{
  (void)state;
  static const char *const ok[] = {
    "GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606",
    "NL91ABNA0417164300", "BE68539007547034", "CH9300762011623852957",
    "ES9121000418450200051332", "IT60X0542811101000000123456", "NO9386011117947",
  };
  for(size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
    assert_true(pii_iban_valid(ok[i], strlen(ok[i])));
  assert_false(pii_iban_valid("GB82WEST12345698765433", 22)); /* check digits */
  assert_false(pii_iban_valid("GB82WEST1234569876543", 21));  /* length */
  assert_false(pii_iban_valid("ZZ82WEST12345698765432", 22)); /* country */
}

static void pii_find_in_text(void **state)
{
  (void)state;
  static const char t[] =
      "{\"card\":\"4111 1111 1111 1111\",\"iban\":\"GB82 WEST 1234 5698 7654 32\","
      "\"order\":4111111111111112,\"ts\":1700000000000,\"price\":4111111111111111.5,"
      "\"mail\":\"ann.lee+x@mail.lab.invalid\",\"tel\":\"+44 20 7946 0100\",\"v\":\"1.2.3\","
      "\"db\":\"postgres://shop:pw-1@db.internal:5432/shop\",\"u\":\"https://bob@git.lab.invalid/x\"}";
  struct pii_hit h[8];
  size_t n = pii_find(t, strlen(t), h, 8);
  assert_int_equal(n, 4);
  assert_int_equal(h[0].kind, PII_CARD);
  assert_string_equal(h[0].brand, "Visa");
  assert_memory_equal(t + h[0].from, "4111 1111 1111 1111", 19);
  assert_int_equal(h[1].kind, PII_IBAN);
  assert_int_equal(h[1].to - h[1].from, 27);
  assert_int_equal(h[2].kind, PII_EMAIL);
  assert_memory_equal(t + h[2].from, "ann.lee+x@mail.lab.invalid", h[2].to - h[2].from);
  assert_int_equal(h[3].kind, PII_PHONE);
  assert_memory_equal(t + h[3].from, "+44 20 7946 0100", h[3].to - h[3].from);
}

/* National ids: each format's published example (Brazil's Receita
 * Federal CPF example 529.982.247-25, the Dutch test BSNs 111222333 and
 * 123456782, the Finnish DVV's HETU example 131052-308T, Spain's DNI
 * 12345678Z and NIE X1234567L, the Swedish Tax Agency's personnummer
 * 811218-9876, the Italian codice fiscale of "Mario Rossi"
 * RSSMRA85T10A562S, Verhoeff's own example 236 -> 2363), each with an
 * invalid twin whose check character is off by one. */
static void natid_vectors(void **state)
{
  (void)state;
  static const struct { const char *ok, *bad, *brand; } v[] = {
    {"529.982.247-25", "529.982.247-26", "BR CPF"},
    {"52998224725", "52998224726", "BR CPF"},
    {"111222333", "111222334", "NL BSN"},
    {"123456782", "123456783", "NL BSN"},
    {"131052-308T", "131052-308U", "FI HETU"},
    {"131052A308T", "131052A308U", "FI HETU"}, /* same check, another century */
    {"12345678Z", "12345678A", "ES DNI"},
    {"12345678-Z", "12345678-A", "ES DNI"},
    {"X1234567L", "X1234567M", "ES NIE"},
    {"Y1234567X", "Y1234567Y", "ES NIE"},
    {"Z1234567R", "Z1234567S", "ES NIE"},
    {"2341 2341 2346", "2341 2341 2347", "IN Aadhaar"},
    {"234123412346", "234123412347", "IN Aadhaar"},
    {"RSSMRA85T10A562S", "RSSMRA85T10A562T", "IT codice fiscale"},
    {"811218-9876", "811218-9877", "SE personnummer"},
    {"19811218-9876", "19811218-9877", "SE personnummer"},
  };
  for(size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    const char *b = pii_natid_valid(v[i].ok, strlen(v[i].ok));
    if(!b || strcmp(b, v[i].brand))
      fail_msg("%s: want %s, got %s", v[i].ok, v[i].brand, b ? b : "NULL");
    if(pii_natid_valid(v[i].bad, strlen(v[i].bad)))
      fail_msg("%s: invalid, taken for %s", v[i].bad, pii_natid_valid(v[i].bad, strlen(v[i].bad)));
  }
  assert_true(pii_verhoeff("2363", 4));
  assert_false(pii_verhoeff("2364", 4));
  /* Structure: one digit repeated (CPF), a date that is none (HETU
   * 31.13., personnummer month 13), Aadhaar starting with 0 or 1, a
   * codice fiscale month letter that is none. */
  assert_null(pii_natid_valid("111.111.111-11", 14));
  assert_null(pii_natid_valid("311352-308T", 11));
  assert_null(pii_natid_valid("811318-9876", 11));
  assert_null(pii_natid_valid("134123412346", 12));
  assert_null(pii_natid_valid("RSSMRA85Z10A562S", 16));
  assert_null(pii_natid_valid("000000000", 9));
}

static void natid_find_in_text(void **state)
{
  (void)state;
  /* Found: the distinctive formats anywhere, the plain-digit ones after
   * their name. Not found: plain digits without their name, a valid
   * number inside a longer one, an invalid check. */
  static const char t[] =
      "{\"cpf\":\"529.982.247-25\",\"hetu\":\"131052-308T\",\"dni\":\"12345678Z\","
      "\"nie\":\"X1234567L\",\"cf\":\"RSSMRA85T10A562S\",\"pnr\":\"811218-9876\","
      "\"bsn\":\"111222333\",\"aadhaar\":\"2341 2341 2346\",\"cpf_raw\":\"52998224725\","
      "\"n1\":123456782,\"n2\":\"234123412346\",\"n3\":\"1234567821\",\"n4\":\"529.982.247-26\","
      "\"n5\":\"12345678Z9\",\"n6\":\"4111 1111 1111 1111\"}";
  struct pii_hit h[16];
  size_t n = pii_find(t, strlen(t), h, 16);
  static const char *const want[][2] = {
    {"BR CPF", "529.982.247-25"}, {"FI HETU", "131052-308T"}, {"ES DNI", "12345678Z"},
    {"ES NIE", "X1234567L"}, {"IT codice fiscale", "RSSMRA85T10A562S"},
    {"SE personnummer", "811218-9876"}, {"NL BSN", "111222333"},
    {"IN Aadhaar", "2341 2341 2346"}, {"BR CPF", "52998224725"},
  };
  size_t k = 0;
  for(size_t i = 0; i < n && i < 16; i++) {
    if(h[i].kind == PII_CARD)
      continue;
    assert_int_equal(h[i].kind, PII_NATID);
    assert_true(k < sizeof(want) / sizeof(want[0]));
    assert_string_equal(h[i].brand, want[k][0]);
    assert_int_equal(h[i].to - h[i].from, strlen(want[k][1]));
    assert_memory_equal(t + h[i].from, want[k][1], strlen(want[k][1]));
    k++;
  }
  assert_int_equal(k, sizeof(want) / sizeof(want[0]));
}

/* The secret formats masking knows, found with their names. */
static void mask_find_kinds(void **state)
{
  (void)state;
  static const char t[] =
      "a=AKIAIOSFODNN7EXAMPLE b=ghp_aB3dE5fG7haB3dE5fG7haB3dE5fG7hK9mN0p "
      "c=postgres://app:Pw-123456@db:5432/x d=SK0123456789abcdef0123456789abcdef "
      "e=/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX "
      "f=-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----";
  struct mask_found f[16];
  size_t n = mask_find(t, strlen(t), f, 16);
  static const char *const want[] = {"aws-access-key-id", "github-token", "url-password",
                                     "twilio-api-key", "slack-webhook", "private-key"};
  assert_int_equal(n, 6);
  for(size_t i = 0; i < n; i++)
    assert_string_equal(f[i].kind, want[i]);
  assert_memory_equal(t + f[2].from, "Pw-123456", 9);
  char *m = mask_str(NULL, t);
  assert_null(strstr(m, "XXXXXXXXXXXXXXXXXXXXXXXX"));
  assert_null(strstr(m, "0123456789abcdef0123"));
  free(m);
}

/* A file of exactly max bytes is read whole; one byte more is refused
 * with the limit named; an empty file is an empty string. */
static void file_read_all_bounds(void **state)
{
  (void)state;
  static char data[70001];
  memset(data, 'a', sizeof(data));
  char err[64];
  size_t len = 1;
  FILE *f = fmemopen(data, 70000, "r");
  char *s = file_read_all(f, 70000, &len, err, sizeof(err));
  fclose(f);
  assert_non_null(s);
  assert_int_equal(len, 70000);
  assert_int_equal(s[70000], '\0');
  free(s);
  f = fmemopen(data, 70001, "r");
  assert_null(file_read_all(f, 70000, &len, err, sizeof(err)));
  fclose(f);
  assert_string_equal(err, "larger than 70000 bytes");
  f = fmemopen(data, 3, "r");
  assert_null(file_read_all(f, 2, &len, err, sizeof(err)));
  fclose(f);
  f = fmemopen(data, 70000, "r");
  assert_null(file_read_all(f, 1u << 15, &len, err, sizeof(err)));
  fclose(f);
  assert_string_equal(err, "larger than 32768 bytes");
  f = fopen("/dev/null", "rb");
  s = file_read_all(f, 1u << 20, &len, err, sizeof(err));
  fclose(f);
  assert_non_null(s);
  assert_int_equal(len, 0);
  assert_string_equal(s, "");
  free(s);
}

/* file_read_path: the same bounds through one reused buffer; a path
 * that cannot be opened or read says so; the buffer only grows. */
static void file_read_path_bounds(void **state)
{
  (void)state;
  char dir[] = "/tmp/wd-test-core-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char big[64], small[64], empty[64];
  snprintf(big, sizeof(big), "%s/big", dir);
  snprintf(small, sizeof(small), "%s/small", dir);
  snprintf(empty, sizeof(empty), "%s/empty", dir);
  static char data[70001];
  memset(data, 'a', sizeof(data));
  FILE *f = fopen(big, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, 70001, f), 70001);
  fclose(f);
  f = fopen(small, "wb");
  assert_non_null(f);
  fputs("abc", f);
  fclose(f);
  f = fopen(empty, "wb");
  assert_non_null(f);
  fclose(f);
  char *buf = NULL, err[64];
  size_t cap = 0, len = 0;
  assert_int_equal(file_read_path(big, 70001, &buf, &cap, &len, err, sizeof(err)), 0);
  assert_int_equal(len, 70001);
  assert_int_equal(buf[70001], '\0');
  assert_true(cap > 70001);
  size_t was = cap;
  assert_int_equal(file_read_path(big, 70000, &buf, &cap, &len, err, sizeof(err)), -1);
  assert_string_equal(err, "larger than 70000 bytes");
  assert_int_equal(file_read_path(small, 1u << 20, &buf, &cap, &len, err, sizeof(err)), 0);
  assert_int_equal(len, 3);
  assert_string_equal(buf, "abc");
  assert_int_equal(cap, was);
  assert_int_equal(file_read_path(small, 2, &buf, &cap, &len, err, sizeof(err)), -1);
  assert_string_equal(err, "larger than 2 bytes");
  assert_int_equal(file_read_path(empty, 2, &buf, &cap, &len, err, sizeof(err)), 0);
  assert_int_equal(len, 0);
  assert_string_equal(buf, "");
  assert_int_equal(file_read_path(dir, 1u << 20, &buf, &cap, &len, err, sizeof(err)), -1);
  assert_string_equal(err, "read error: Is a directory");
  char missing[80];
  snprintf(missing, sizeof(missing), "%s/missing", dir);
  assert_int_equal(file_read_path(missing, 1u << 20, &buf, &cap, &len, err, sizeof(err)), -1);
  assert_string_equal(err, "cannot read: No such file or directory");
  /* Not a regular file: its size says nothing; read to the end. */
  assert_int_equal(file_read_path("/proc/self/stat", 1u << 20, &buf, &cap, &len, err,
                                  sizeof(err)), 0);
  assert_true(len > 0);
  free(buf);
  buf = NULL;
  cap = 0;
  assert_int_equal(file_read_path("/dev/null", 1u << 20, &buf, &cap, &len, err, sizeof(err)), 0);
  assert_int_equal(len, 0);
  assert_non_null(buf);
  free(buf);
  unlink(big);
  unlink(small);
  unlink(empty);
  rmdir(dir);
}

/* The max smallest distinct keys, sorted, whatever the order offered;
 * unsorted mode keeps arrival order and stops at max. */
static void sorted_keep_any_order(void **state)
{
  (void)state;
  static const char *const in[2][6] = {{"/d", "/b", "/a", "/c", "/b", "/e"},
                                       {"/e", "/c", "/b", "/a", "/d", "/a"}};
  for(int k = 0; k < 2; k++) {
    char v[3][8];
    int n = 0, found;
    for(int i = 0; i < 6; i++) {
      int pos = str_sorted_keep(v, sizeof(v[0]), &n, 3, in[k][i], 1, &found);
      if(pos >= 0 && !found)
        strcpy(v[pos], in[k][i]);
    }
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "/a");
    assert_string_equal(v[1], "/b");
    assert_string_equal(v[2], "/c");
  }
  char v[2][8];
  int n = 0, found;
  const char *seq[] = {"/z", "/y", "/z", "/x"};
  int want[] = {0, 1, 0, -1}, wfound[] = {0, 0, 1, 0};
  for(int i = 0; i < 4; i++) {
    int pos = str_sorted_keep(v, sizeof(v[0]), &n, 2, seq[i], 0, &found);
    assert_int_equal(pos, want[i]);
    assert_int_equal(found, wfound[i]);
    if(pos >= 0 && !found)
      strcpy(v[pos], seq[i]);
  }
  assert_int_equal(n, 2);
  assert_string_equal(v[0], "/z");
  assert_string_equal(v[1], "/y");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(buf_caps_at_limit),
    cmocka_unit_test(file_read_all_bounds),
    cmocka_unit_test(file_read_path_bounds),
    cmocka_unit_test(luhn_and_card_vectors),
    cmocka_unit_test(iban_vectors),
    cmocka_unit_test(pii_find_in_text),
    cmocka_unit_test(natid_vectors),
    cmocka_unit_test(natid_find_in_text),
    cmocka_unit_test(mask_find_kinds),
    cmocka_unit_test(sorted_keep_any_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
