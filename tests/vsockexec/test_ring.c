/* The relay's ring buffer under ASan/UBSan: exact contents and drop counts, and a
 * randomized comparison against a trivially correct model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ring.h"

/* Copies everything held (oldest first) into out; returns the count. */
static size_t ring_dump(const struct ring *r, char *out)
{
	struct ring c = *r;
	size_t total = 0, n;
	const char *p;

	while ((n = ring_peek(&c, &p)) > 0) {
		memcpy(out + total, p, n);
		total += n;
		ring_consume(&c, n);
	}
	return total;
}

static void assert_ring(const struct ring *r, const char *want, uint64_t dropped)
{
	char out[64];
	size_t n = ring_dump(r, out);

	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
	assert_int_equal(r->len, n);
	assert_int_equal(r->dropped, dropped);
}

static void test_fits(void **state)
{
	char buf[8];
	struct ring r;

	(void)state;
	ring_init(&r, buf, sizeof(buf));
	assert_ring(&r, "", 0);
	ring_write(&r, "abc", 3);
	ring_write(&r, "defgh", 5);
	assert_ring(&r, "abcdefgh", 0);
}

static void test_drops_oldest(void **state)
{
	char buf[8];
	struct ring r;

	(void)state;
	ring_init(&r, buf, sizeof(buf));
	ring_write(&r, "abcdef", 6);
	ring_write(&r, "ghij", 4);
	assert_ring(&r, "cdefghij", 2);
	ring_write(&r, "k", 1);
	assert_ring(&r, "defghijk", 3);
}

static void test_write_larger_than_cap(void **state)
{
	char buf[8];
	struct ring r;

	(void)state;
	ring_init(&r, buf, sizeof(buf));
	ring_write(&r, "xyz", 3);
	ring_write(&r, "0123456789", 10);
	/* the 3 held bytes and the first 2 new ones are gone */
	assert_ring(&r, "23456789", 5);
	ring_write(&r, "ABCDEFGH", 8);
	assert_ring(&r, "ABCDEFGH", 13);
}

static void test_wraps_and_peeks_contiguous(void **state)
{
	char buf[8];
	struct ring r;
	const char *p;

	(void)state;
	ring_init(&r, buf, sizeof(buf));
	ring_write(&r, "abcdef", 6);
	ring_consume(&r, 5);
	ring_write(&r, "ghijk", 5); /* f at 5, g h at 6 7, i j k at 0 1 2 */
	assert_int_equal(ring_peek(&r, &p), 3);
	assert_memory_equal(p, "fgh", 3);
	assert_ring(&r, "fghijk", 0);
	ring_consume(&r, 3);
	assert_int_equal(ring_peek(&r, &p), 3);
	assert_memory_equal(p, "ijk", 3);
	ring_consume(&r, 3);
	assert_int_equal(ring_peek(&r, &p), 0);
}

static void test_consume_more_than_held(void **state)
{
	char buf[4];
	struct ring r;

	(void)state;
	ring_init(&r, buf, sizeof(buf));
	ring_write(&r, "ab", 2);
	ring_consume(&r, 10);
	assert_ring(&r, "", 0);
	ring_write(&r, "cdef", 4);
	assert_ring(&r, "cdef", 0);
}

/* Kept bytes: drops are taken just after them, from held bytes and then from data. */
static void test_keep(void **state)
{
	char buf[8];
	struct ring r;

	(void)state;
	ring_init(&r, buf, sizeof(buf));
	r.keep = 1;
	ring_write(&r, "abcdefghijk", 11); /* kept: the first byte of data itself */
	assert_ring(&r, "aefghijk", 3);
	ring_write(&r, "lm", 2);
	assert_ring(&r, "aghijklm", 5);
	ring_consume(&r, 1); /* the kept byte is gone: the oldest go first again */
	assert_int_equal(r.keep, 0);
	ring_write(&r, "no", 2);
	assert_ring(&r, "hijklmno", 6);
}

/* Random writes and consumes (and, with_keep, kept counts) against a plain model. */
static void run_against_model(int with_keep)
{
	enum { CAP = 37, MODEL = 1 << 16 };
	static char model[MODEL];
	char buf[CAP], in[100], out[CAP];
	size_t mlen = 0, mhead = 0, i, n, keep = 0;
	uint64_t dropped = 0;
	unsigned seed = 12345;
	struct ring r;

	ring_init(&r, buf, CAP);
	for (i = 0; i < 200000; i++) {
		seed = seed * 1103515245u + 12345u;
		n = (seed >> 8) % 90;
		if (with_keep && (seed >> 24) % 8 == 0)
			r.keep = keep = (seed >> 27) % 4;
		if ((seed >> 20) & 1) {
			size_t k;

			for (k = 0; k < n; k++)
				in[k] = (char)(i + k);
			ring_write(&r, in, n);
			if (mhead + mlen + n > MODEL) {
				memmove(model, model + mhead, mlen);
				mhead = 0;
			}
			memcpy(model + mhead + mlen, in, n);
			mlen += n;
			if (mlen > CAP) {
				/* the model: the over bytes after the kept ones go */
				size_t over = mlen - CAP, kk = keep < mlen ? keep : mlen;

				memmove(model + mhead + kk, model + mhead + kk + over, mlen - kk - over);
				dropped += over;
				mlen = CAP;
			}
		} else {
			n = n > mlen ? mlen : n;
			ring_consume(&r, n);
			mhead += n;
			mlen -= n;
			keep = keep > n ? keep - n : 0;
		}
		assert_int_equal(ring_dump(&r, out), mlen);
		assert_memory_equal(out, model + mhead, mlen);
		assert_int_equal(r.dropped, dropped);
		assert_int_equal(r.keep, keep);
	}
}

static void test_random_against_model(void **state)
{
	(void)state;
	run_against_model(0);
}

static void test_random_keep_against_model(void **state)
{
	(void)state;
	run_against_model(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_drops_oldest),
		cmocka_unit_test(test_write_larger_than_cap),
		cmocka_unit_test(test_wraps_and_peeks_contiguous),
		cmocka_unit_test(test_consume_more_than_held),
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_keep),
		cmocka_unit_test(test_random_keep_against_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
