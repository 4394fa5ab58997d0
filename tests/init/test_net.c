/* init/net.c: the RTM_NEWLINK request for lo and error paths without leaks, against a
 * stand-in libnl (mock_nl.c). */
#include <errno.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"
#include "mock_nl.h"
#include "net.h"

static int setup(void **state)
{
	(void)state;
	mock_nl_reset();
	log_set_fds(-1, -1);
	return 0;
}

static void assert_no_leak(void)
{
	assert_int_equal(mock_nl_sockets_alive, 0);
	assert_int_equal(mock_nl_msgs_alive, 0);
}

static void test_link_up_request(void **state)
{
	struct ifinfomsg ifi;

	(void)state;
	assert_int_equal(net_lo_up(), 0);
	assert_int_equal(mock_nl_connect_protocol, NETLINK_ROUTE);
	assert_int_equal(mock_nl_nsent, 1);
	assert_int_equal(mock_nl_sent[0].type, RTM_NEWLINK);
	assert_int_equal(mock_nl_sent[0].flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(mock_nl_sent[0].len, sizeof(ifi));
	memcpy(&ifi, mock_nl_sent[0].payload, sizeof(ifi));
	assert_int_equal(ifi.ifi_index, 1); /* lo */
	assert_int_equal(ifi.ifi_flags & IFF_UP, IFF_UP);
	assert_int_equal(ifi.ifi_change, IFF_UP); /* nothing but UP changes */
	assert_no_leak();
}

static void test_errors_returned_without_leaks(void **state)
{
	(void)state;
	mock_nl_connect_rc = -NLE_PERM;
	assert_int_equal(net_lo_up(), -NLE_PERM);
	assert_int_equal(mock_nl_nsent, 0);
	assert_no_leak();

	mock_nl_reset();
	mock_nl_send_rc = -NLE_NOMEM;
	assert_int_equal(net_lo_up(), -NLE_NOMEM);
	assert_no_leak();

	mock_nl_reset();
	mock_nl_ack_rc = -NLE_NODEV;
	assert_int_equal(net_lo_up(), -NLE_NODEV);
	assert_no_leak();

	mock_nl_reset();
	mock_nl_alloc_fail = true;
	assert_int_equal(net_lo_up(), -NLE_NOMEM);
	assert_no_leak();
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(net_strerror(-NLE_PERM), "Operation not permitted");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_link_up_request, setup),
		cmocka_unit_test_setup(test_errors_returned_without_leaks, setup),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests_name("init/net", tests, NULL, NULL);
}
