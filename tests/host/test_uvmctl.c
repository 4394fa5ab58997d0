/* Table tests of uvmctl's parts: Go's boolean and number spellings, the JSON reader (every
 * wrong type is one line naming file and place), the policy (one case per rule) and the
 * plan (hcsshim's command line, every unsafe input refused). Expected lines are written by
 * hand from docs/uvmctl.md, never produced by the code under test. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "goparse.h"
#include "policy.h"
#include "spec.h"
#include "uvmplan.h"

#define VM "io.microsoft.virtualmachine."
#define MIG "\"io.microsoft.migration.support-enabled\": \"true\""
#define DENY ": rejected: not on the live-migration allow list (io.microsoft.virtualmachine.* is denied by default)"
#define MOVE "cannot move with the VM"

/* --- Go's spellings ------------------------------------------------------------------ */
static void test_go_bool(void **state)
{
	static const struct { const char *in; int rc; bool out; } t[] = {
		{ "1", 0, true },	  { "t", 0, true },	  { "T", 0, true },
		{ "TRUE", 0, true },	  { "true", 0, true },	  { "True", 0, true },
		{ "0", 0, false },	  { "f", 0, false },	  { "F", 0, false },
		{ "FALSE", 0, false },	  { "false", 0, false },  { "False", 0, false },
		{ "yes", -EINVAL, 0 },	  { "on", -EINVAL, 0 },	  { "TrUe", -EINVAL, 0 },
		{ "", -EINVAL, 0 },	  { " 1", -EINVAL, 0 },	  { "1 ", -EINVAL, 0 },
		{ "tru", -EINVAL, 0 },	  { "10", -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		bool b = !t[i].out;

		assert_int_equal(go_parse_bool(t[i].in, &b), t[i].rc);
		if (!t[i].rc && b != t[i].out)
			fail_msg("%s: got %d", t[i].in, b);
	}
	assert_int_equal(go_parse_bool(NULL, &(bool){ 0 }), -EINVAL);
}

static void test_go_u32(void **state)
{
	static const struct { const char *in; int rc; uint32_t out; } t[] = {
		{ "0", 0, 0 },		     { "00", 0, 0 },	     { "007", 0, 7 },
		{ "4294967295", 0, UINT32_MAX }, { "4294967296", -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 }, { "", -EINVAL, 0 },
		{ "-0", -EINVAL, 0 },	     { "+0", -EINVAL, 0 },   { "0x0", -EINVAL, 0 },
		{ " 0", -EINVAL, 0 },	     { "0 ", -EINVAL, 0 },   { "1_000", -EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t n = 12345;

		if (go_parse_u32(t[i].in, &n) != t[i].rc)
			fail_msg("%s: want rc %d", t[i].in, t[i].rc);
		if (!t[i].rc && n != t[i].out)
			fail_msg("%s: got %u", t[i].in, n);
	}
}

/* encoding/json's member match: ASCII case, and the two runes whose fold orbit holds an
 * ASCII letter (U+017F long s, U+212A Kelvin sign); nothing else */
static void test_go_fold(void **state)
{
	static const struct { const char *key, *name; bool eq; } t[] = {
		{ "annotations", "annotations", true },	 { "Annotations", "annotations", true },
		{ "ANNOTATIONS", "annotations", true },	 { "annotation\xc5\xbf", "annotations", true },
		{ "\xc5\xbfource", "source", true },	 { "\xe2\x84\xaa" "ey", "key", true },
		{ "\xe2\x84\xaa", "K", true },		 { "idtype", "idType", true },
		{ "annotation", "annotations", false },	 { "annotationss", "annotations", false },
		{ "\xc4\xb0" "d", "id", false },		 { "\xc4\xb1" "d", "id", false },
		{ "\xc5", "s", false },			 { "\xe2\x84", "k", false },
		{ "", "id", false },			 { "", "", true },
		{ "m0unts", "mounts", false },		 { "mounts ", "mounts", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (go_fold_equal(t[i].key, t[i].name) != t[i].eq)
			fail_msg("%s ~ %s: want %d", t[i].key, t[i].name, t[i].eq);
	}
}

/* --- helpers --------------------------------------------------------------------------- */
static int load(struct spec *s, const char *file, const char *json, char *err)
{
	return spec_parse(s, file, json, strlen(json), err, SPEC_ERR_LEN);
}

/* the findings joined, one "\n"-ended line each */
static char *joined(const struct findings *f)
{
	size_t len = 1, i;
	char *s;

	for (i = 0; i < f->n; i++)
		len += strlen(f->line[i]) + 1;
	s = calloc(1, len);
	assert_non_null(s);
	for (i = 0; i < f->n; i++) {
		strcat(s, f->line[i]);
		strcat(s, "\n");
	}
	return s;
}

/* --- the reader: wrong input is one line naming the file and the place ------------------ */
struct read_case {
	const char *name;
	const char *json;
	const char *err; /* NULL: loads */
};

static const struct read_case read_cases[] = {
	{ "an empty object", "{}", NULL },
	{ "null members read as absent", "{\"annotations\":null,\"mounts\":null,\"windows\":null}", NULL },
	{ "windows without devices", "{\"windows\":{\"layerFolders\":[]}}", NULL },
	{ "big integers elsewhere are fine", "{\"linux\":{\"memory\":18446744073709551615}}", NULL },
	{ "empty file", "", "f.json: line 1 column 0: invalid JSON: '[' or '{' expected near end of file" },
	{ "not JSON", "{\"a\": }",
	  "f.json: line 1 column 7: invalid JSON: unexpected token near '}'" },
	{ "trailing garbage", "{} x", "f.json: line 1 column 4: invalid JSON: end of file expected near 'x'" },
	{ "duplicate key", "{\"annotations\":{\"a\":\"1\",\"a\":\"2\"}}",
	  "f.json: line 1 column 27: invalid JSON: duplicate object key near '\"a\"'" },
	{ "NUL in a string", "{\"annotations\":{\"a\":\"x\\u0000y\"}}",
	  "f.json: line 1 column 30: invalid JSON: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"x\\u0000y\"'" },
	{ "a control byte in the input is not echoed raw", "{} \033[2J",
	  "f.json: line 1 column 4: invalid JSON: end of file expected near '?'" },
	{ "top level array", "[]", "f.json: top level: an array, not an object" },
	{ "annotations array", "{\"annotations\":[]}", "f.json: annotations: an array, not an object" },
	{ "annotation value number", "{\"annotations\":{\"k\":1}}",
	  "f.json: annotations: k: a number, not a string" },
	{ "annotation value bool", "{\"annotations\":{\"" VM "lcow.vpcienabled\":false}}",
	  "f.json: annotations: " VM "lcow.vpcienabled: a boolean, not a string" },
	{ "annotation value null", "{\"annotations\":{\"k\":null}}",
	  "f.json: annotations: k: null, not a string" },
	{ "annotation key with a newline, escaped", "{\"annotations\":{\"a\\nb\":{}}}",
	  "f.json: annotations: a\\x0ab: an object, not a string" },
	{ "mounts object", "{\"mounts\":{}}", "f.json: mounts: an object, not an array" },
	{ "mount entry string", "{\"mounts\":[{},\"x\"]}", "f.json: mounts[1]: a string, not an object" },
	{ "mount type number", "{\"mounts\":[{\"type\":7}]}",
	  "f.json: mounts[0].type: a number, not a string" },
	{ "mount source array", "{\"mounts\":[{\"type\":\"bind\",\"source\":[]}]}",
	  "f.json: mounts[0].source: an array, not a string" },
	{ "windows string", "{\"windows\":\"x\"}", "f.json: windows: a string, not an object" },
	{ "windows.devices object", "{\"windows\":{\"devices\":{}}}",
	  "f.json: windows.devices: an object, not an array" },
	{ "device entry number", "{\"windows\":{\"devices\":[1]}}",
	  "f.json: windows.devices[0]: a number, not an object" },
	{ "device idType bool", "{\"windows\":{\"devices\":[{\"idType\":true}]}}",
	  "f.json: windows.devices[0].idType: a boolean, not a string" },
	{ "device id object", "{\"windows\":{\"devices\":[{\"idType\":\"class\",\"id\":{}}]}}",
	  "f.json: windows.devices[0].id: an object, not a string" },
	{ "top-level devices object", "{\"devices\":{}}", "f.json: devices: an object, not an array" },
	{ "top-level devices, any entries", "{\"devices\":[1,{\"Id\":\"x\"}]}", NULL },
	/* Go's case-insensitive match onto a field read here: every field, each folding kind */
	{ "Annotations", "{\"Annotations\":{}}",
	  "f.json: Annotations: not the exact spelling of \"annotations\"" },
	{ "annotation + long s", "{\"annotation\xc5\xbf\":{}}",
	  "f.json: annotation\\xc5\\xbf: not the exact spelling of \"annotations\"" },
	{ "MOUNTS", "{\"MOUNTS\":[]}", "f.json: MOUNTS: not the exact spelling of \"mounts\"" },
	{ "mount + long s", "{\"mount\xc5\xbf\":[]}",
	  "f.json: mount\\xc5\\xbf: not the exact spelling of \"mounts\"" },
	{ "Windows", "{\"Windows\":{}}", "f.json: Windows: not the exact spelling of \"windows\"" },
	{ "window + long s", "{\"window\xc5\xbf\":{}}",
	  "f.json: window\\xc5\\xbf: not the exact spelling of \"windows\"" },
	{ "top-level Devices", "{\"Devices\":[]}", "f.json: Devices: not the exact spelling of \"devices\"" },
	{ "top-level device + long s", "{\"device\xc5\xbf\":[]}",
	  "f.json: device\\xc5\\xbf: not the exact spelling of \"devices\"" },
	{ "mounts[].Type", "{\"mounts\":[{},{\"Type\":\"bind\"}]}",
	  "f.json: mounts[1].Type: not the exact spelling of \"type\"" },
	{ "mounts[].Source", "{\"mounts\":[{\"type\":\"bind\",\"Source\":\"/etc\"}]}",
	  "f.json: mounts[0].Source: not the exact spelling of \"source\"" },
	{ "mounts[].long s + ource", "{\"mounts\":[{\"\xc5\xbfource\":\"/etc\"}]}",
	  "f.json: mounts[0].\\xc5\\xbfource: not the exact spelling of \"source\"" },
	{ "windows.Devices", "{\"windows\":{\"Devices\":[]}}",
	  "f.json: windows.Devices: not the exact spelling of \"devices\"" },
	{ "windows.device + long s", "{\"windows\":{\"device\xc5\xbf\":[]}}",
	  "f.json: windows.device\\xc5\\xbf: not the exact spelling of \"devices\"" },
	{ "windows.devices[].IDType", "{\"windows\":{\"devices\":[{\"IDType\":\"class\"}]}}",
	  "f.json: windows.devices[0].IDType: not the exact spelling of \"idType\"" },
	{ "windows.devices[].ID", "{\"windows\":{\"devices\":[{\"idType\":\"class\",\"ID\":\"x\"}]}}",
	  "f.json: windows.devices[0].ID: not the exact spelling of \"id\"" },
	{ "two spellings of one field", "{\"annotations\":{},\"annotationS\":{}}",
	  "f.json: annotationS: not the exact spelling of \"annotations\"" },
	{ "an inexact null is refused too", "{\"ANNOTATIONS\":null}",
	  "f.json: ANNOTATIONS: not the exact spelling of \"annotations\"" },
	{ "annotation keys stay exact (Go map keys)", "{\"annotations\":{\"Mounts\":\"x\",\"K\":\"y\"}}", NULL },
	{ "objects uvmctl does not read keep any case", "{\"linux\":{\"Devices\":[]},\"Process\":{},\"mounts\":[{\"Destination\":\"/d\",\"Options\":[]}]}", NULL },
	{ "a dotted I is not i (no fold orbit with ASCII)", "{\"windows\":{\"devices\":[{\"\xc4\xb0" "d\":\"x\"}]}}", NULL },
};

static void test_read(void **state)
{
	const struct read_case *c = *state;
	char err[SPEC_ERR_LEN] = "";
	struct spec s;
	int rc = load(&s, "f.json", c->json, err);

	if (!c->err) {
		if (rc)
			fail_msg("%s: %s", c->name, err);
		spec_free(&s);
		return;
	}
	assert_int_equal(rc, -EINVAL);
	assert_string_equal(err, c->err);
	assert_null(s.json); /* nothing to free after a failure */
}

/* spec_load(path) is -EINVAL with "PATH: why" */
static void assert_refused(const char *path, const char *why)
{
	char err[SPEC_ERR_LEN], want[SPEC_ERR_LEN];
	struct spec s;

	assert_int_equal(spec_load(&s, path, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s: %s", path, why);
	assert_string_equal(err, want);
	assert_null(s.json);
}

static void test_load_file(void **state)
{
	char err[SPEC_ERR_LEN], path[] = "/tmp/uvmctl-test.XXXXXX", big[] = "/tmp/uvmctl-big.XXXXXX";
	char fifo[64];
	struct spec s;
	int fd;

	(void)state;
	assert_refused("/nonexistent/pod.json", "cannot open: No such file or directory");
	assert_refused("/", "a directory, not a regular file: not a runtime spec");
	assert_refused("/dev/null", "a device, not a regular file: not a runtime spec");
	/* a FIFO with no writer: refused at once, the open never waits for one */
	snprintf(fifo, sizeof(fifo), "/tmp/uvmctl-fifo.%d", (int)getpid());
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_refused(fifo, "a FIFO, not a regular file: not a runtime spec");
	unlink(fifo);
	/* over 16 MiB by its size, before a byte is read (a sparse file) */
	fd = mkstemp(big);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, SPEC_MAX_BYTES + 1), 0);
	close(fd);
	assert_refused(big, "16777217 bytes, over 16777216: not a runtime spec");
	unlink(big);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"annotations\":{\"k\":\"v\"}}", 25), 25);
	close(fd);
	assert_int_equal(spec_load(&s, path, err, sizeof(err)), 0);
	assert_string_equal(spec_annotation(&s, "k"), "v");
	assert_null(spec_annotation(&s, "K"));
	spec_free(&s);
	unlink(path);
}

/* --- migratable: the annotation, Go's spellings, invalid named ----------------------- */
static void test_migratable(void **state)
{
	static const struct { const char *json; int rc; bool mig; const char *err; } t[] = {
		{ "{}", 0, false, NULL },
		{ "{\"annotations\":{\"io.microsoft.migration.support-enabled\":\"T\"}}", 0, true, NULL },
		{ "{\"annotations\":{\"io.microsoft.migration.support-enabled\":\"False\"}}", 0, false, NULL },
		{ "{\"annotations\":{\"IO.MICROSOFT.MIGRATION.SUPPORT-ENABLED\":\"true\"}}", 0, false, NULL },
		{ "{\"annotations\":{\"io.microsoft.migration.support-enabled\":\"yes\"}}", -EINVAL, false,
		  "pod.json: io.microsoft.migration.support-enabled: \"yes\" is not a boolean (1 t T TRUE true True 0 f F FALSE false False)" },
		{ "{\"annotations\":{\"io.microsoft.migration.support-enabled\":\"\"}}", -EINVAL, false,
		  "pod.json: io.microsoft.migration.support-enabled: \"\" is not a boolean (1 t T TRUE true True 0 f F FALSE false False)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char err[SPEC_ERR_LEN] = "";
		struct spec s;
		bool mig = !t[i].mig;

		assert_int_equal(load(&s, "pod.json", t[i].json, err), 0);
		assert_int_equal(policy_pod_migratable(&s, &mig, err, sizeof(err)), t[i].rc);
		assert_int_equal(mig, t[i].mig);
		if (t[i].err)
			assert_string_equal(err, t[i].err);
		spec_free(&s);
	}
}

/* --- the policy: one case per rule ------------------------------------------------------- */
struct policy_case {
	const char *name;
	bool container; /* checked as CONTAINER.json, else as POD.json */
	const char *json;
	const char *expect; /* every line, "\n"-ended; "" for none */
};

#define POD(...) "{\"annotations\":{" MIG __VA_ARGS__ "}}"
#define ANN(k, v) ",\"" k "\":\"" v "\"" /* one more member */
#define MOUNT(type, src) "{\"mounts\":[{\"destination\":\"/d\",\"type\":\"" type "\",\"source\":\"" src "\"}]}"

static const struct policy_case policy_cases[] = {
	/* annotations */
	{ "outside io.microsoft.virtualmachine. ignored", false,
	  POD(ANN("io.kubernetes.cri.sandbox-id", "x") ANN("io.microsoft.container.processdumplocation", "/d")
	      ANN("io.microsoft.virtualmachinex", "x")), "" },
	{ "keys are case-sensitive: another case is outside the prefix", false,
	  POD(ANN("IO.MICROSOFT.VIRTUALMACHINE.lcow.vpcienabled", "true")), "" },
	{ "keys are case-sensitive: no allow by another case", false,
	  POD(ANN(VM "ComputeTopology.Processor.Count", "2")),
	  "pod.json: " VM "ComputeTopology.Processor.Count" DENY "\n" },
	{ "the allow list, any value", false,
	  POD(ANN(VM "bootfilesrootpath", "C:\\\\boot") ANN(VM "lcow.kerneldirectboot", "maybe")
	      ANN(VM "computetopology.memory.allowovercommit", "x")
	      ANN(VM "computetopology.processor.count", "-1") ANN(VM "computetopology.processor.limit", "x")
	      ANN(VM "computetopology.processor.weight", "x") ANN(VM "computetopology.memory.sizeinmb", "x")
	      ANN(VM "computetopology.memory.lowmmiogapinmb", "x")
	      ANN(VM "computetopology.memory.highmmiobaseinmb", "x")
	      ANN(VM "computetopology.memory.highmmiogapinmb", "x") ANN(VM "storageqos.iopsmaximum", "x")
	      ANN(VM "storageqos.bandwidthmaximum", "x") ANN(VM "lcow.network.policybasedrouting", "x")),
	  "" },
	{ "hv-socket service table rejected", false,
	  POD(ANN(VM "hv-socket.service-table.0836cc4d-2a1d-4b2c-a8a0-b7e2d4c5e6f7", "{}")),
	  "pod.json: " VM "hv-socket.service-table.0836cc4d-2a1d-4b2c-a8a0-b7e2d4c5e6f7: rejected: binds the VM to a host-side service registration that " MOVE "\n" },
	{ "default deny", false, POD(ANN(VM "lcow.kernelbootoptions", "quiet") ANN(VM "x", "")),
	  "pod.json: " VM "lcow.kernelbootoptions" DENY "\npod.json: " VM "x" DENY "\n" },
	{ "the prefix alone is denied", false, POD(ANN(VM, "")), "pod.json: " VM DENY "\n" },
	{ "locks hold", false,
	  POD(ANN(VM "lcow.preferredrootfstype", "vhd") ANN(VM "lcow.vpcienabled", "F")
	      ANN(VM "devices.virtualpmem.maximumcount", "000")
	      ANN(VM "lcow.writable-overlay-directories", "False")), "" },
	{ "preferredrootfstype must be vhd", false,
	  POD(ANN(VM "lcow.preferredrootfstype", "initrd")),
	  "pod.json: " VM "lcow.preferredrootfstype: \"initrd\" is not allowed: must be vhd (the root file system must be the read-only VHD every host has)\n" },
	{ "preferredrootfstype is compared exactly", false,
	  POD(ANN(VM "lcow.preferredrootfstype", "VHD")),
	  "pod.json: " VM "lcow.preferredrootfstype: \"VHD\" is not allowed: must be vhd (the root file system must be the read-only VHD every host has)\n" },
	{ "vpcienabled must be false", false, POD(ANN(VM "lcow.vpcienabled", "1")),
	  "pod.json: " VM "lcow.vpcienabled: \"1\" is not allowed: must be false (assigned PCI devices " MOVE ")\n" },
	{ "vpcienabled unparsable", false, POD(ANN(VM "lcow.vpcienabled", "no")),
	  "pod.json: " VM "lcow.vpcienabled: \"no\" does not parse as a boolean: must be false (assigned PCI devices " MOVE ")\n" },
	{ "virtualpmem count must be 0", false, POD(ANN(VM "devices.virtualpmem.maximumcount", "64")),
	  "pod.json: " VM "devices.virtualpmem.maximumcount: \"64\" is not allowed: must be 0 (virtual PMem devices " MOVE ")\n" },
	{ "virtualpmem count unparsable", false, POD(ANN(VM "devices.virtualpmem.maximumcount", "0x0")),
	  "pod.json: " VM "devices.virtualpmem.maximumcount: \"0x0\" does not parse as a base-10 number: must be 0 (virtual PMem devices " MOVE ")\n" },
	{ "virtualpmem count out of range", false,
	  POD(ANN(VM "devices.virtualpmem.maximumcount", "4294967296")),
	  "pod.json: " VM "devices.virtualpmem.maximumcount: \"4294967296\" does not parse as a base-10 number: must be 0 (virtual PMem devices " MOVE ")\n" },
	{ "writable overlays must be false", false, POD(ANN(VM "lcow.writable-overlay-directories", "true")),
	  "pod.json: " VM "lcow.writable-overlay-directories: \"true\" is not allowed: must be false (writable overlays are refused in a migratable VM's shape)\n" },
	{ "writable overlays unparsable", false, POD(ANN(VM "lcow.writable-overlay-directories", "")),
	  "pod.json: " VM "lcow.writable-overlay-directories: \"\" does not parse as a boolean: must be false (writable overlays are refused in a migratable VM's shape)\n" },
	{ "a value with control bytes stays on one line", false,
	  POD(ANN(VM "lcow.preferredrootfstype", "vhd\\n\\u001b[2J")),
	  "pod.json: " VM "lcow.preferredrootfstype: \"vhd\\x0a\\x1b[2J\" is not allowed: must be vhd (the root file system must be the read-only VHD every host has)\n" },
	{ "three harmless keys allowed for a migratable pod", false,
	  POD(ANN(VM "lcow.timesync.disable", "true") ANN(VM "devices.virtualpmem.maximumsizebytes", "4294967296")
	      ANN(VM "fileshares.disablewritable", "x")), "" },
	/* the pod's own spec: its devices (the UVM's), its mounts and windows.devices */
	{ "the pod's top-level devices rejected, each", false,
	  "{\"annotations\":{" MIG "},\"devices\":[{\"id\":\"PCIP\\\\VEN_10DE\"},{}]}",
	  "pod.json: devices[0]: rejected: a host device assigned to the UVM over vPCI " MOVE "\n"
	  "pod.json: devices[1]: rejected: a host device assigned to the UVM over vPCI " MOVE "\n" },
	{ "the pod's empty devices: fine", false, "{\"annotations\":{" MIG "},\"devices\":[]}", "" },
	{ "the pod's own mounts and windows.devices by the container rules", false,
	  "{\"annotations\":{" MIG ANN(VM "lcow.vpcienabled", "true") "},\"mounts\":[{\"type\":\"bind\",\"source\":\"/etc\"},"
	  "{\"type\":\"bind\",\"source\":\"sandbox:///x\"}],\"windows\":{\"devices\":[{\"idType\":\"gpu\",\"id\":\"g\"}]},"
	  "\"devices\":[{}]}",
	  "pod.json: " VM "lcow.vpcienabled: \"true\" is not allowed: must be false (assigned PCI devices " MOVE ")\n"
	  "pod.json: devices[0]: rejected: a host device assigned to the UVM over vPCI " MOVE "\n"
	  "pod.json: windows.devices[0]: rejected: device assignment (idType \"gpu\", id \"g\"): an assigned host device " MOVE "\n"
	  "pod.json: mounts[0]: rejected: bind mount of \"/etc\": a directory mount of a host path is a Plan9 share that " MOVE "\n" },
	/* container devices */
	{ "windows.devices rejected", true,
	  "{\"windows\":{\"devices\":[{\"idType\":\"class\",\"id\":\"5B45201D-F2F2-4F3B-85BB-30FF1F953599\"},{}]}}",
	  "c.json: windows.devices[0]: rejected: device assignment (idType \"class\", id \"5B45201D-F2F2-4F3B-85BB-30FF1F953599\"): an assigned host device " MOVE "\n"
	  "c.json: windows.devices[1]: rejected: device assignment (idType \"\", id \"\"): an assigned host device " MOVE "\n" },
	{ "linux.devices are guest nodes", true,
	  "{\"linux\":{\"devices\":[{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229}]},\"windows\":{\"devices\":[]}}", "" },
	/* container mounts */
	{ "virtual-disk rejected", true, MOUNT("virtual-disk", "C:\\\\d.vhdx"),
	  "c.json: mounts[0]: rejected: virtual-disk mount of \"C:\\\\d.vhdx\": a VHD mount attaches a host disk that " MOVE "\n" },
	{ "physical-disk rejected", true, MOUNT("physical-disk", "\\\\\\\\.\\\\PHYSICALDRIVE1"),
	  "c.json: mounts[0]: rejected: physical-disk mount of \"\\\\\\\\.\\\\PHYSICALDRIVE1\": a physical disk mount attaches a host disk that " MOVE "\n" },
	{ "extensible-virtual-disk rejected", true, MOUNT("extensible-virtual-disk", "evd://x"),
	  "c.json: mounts[0]: rejected: extensible-virtual-disk mount of \"evd://x\": an extensible VHD mount attaches a host disk that " MOVE "\n" },
	{ "bind of a host path rejected", true, MOUNT("bind", "/var/lib/data"),
	  "c.json: mounts[0]: rejected: bind mount of \"/var/lib/data\": a directory mount of a host path is a Plan9 share that " MOVE "\n" },
	{ "bind of a Windows host path rejected", true, MOUNT("bind", "C:\\\\data"),
	  "c.json: mounts[0]: rejected: bind mount of \"C:\\\\data\": a directory mount of a host path is a Plan9 share that " MOVE "\n" },
	{ "bind without a source rejected", true, "{\"mounts\":[{\"destination\":\"/d\",\"type\":\"bind\"}]}",
	  "c.json: mounts[0]: rejected: bind mount of \"\": a directory mount of a host path is a Plan9 share that " MOVE "\n" },
	{ "a prefix must lead: sandbox:// inside a host path", true, MOUNT("bind", "/x/sandbox://y"),
	  "c.json: mounts[0]: rejected: bind mount of \"/x/sandbox://y\": a directory mount of a host path is a Plan9 share that " MOVE "\n" },
	{ "bind under sandbox:// allowed", true, MOUNT("bind", "sandbox:///data"), "" },
	{ "bind under sandbox-tmp:// allowed", true, MOUNT("bind", "sandbox-tmp:///t"), "" },
	{ "bind under uvm:// allowed", true, MOUNT("bind", "uvm:///etc"), "" },
	{ "bind under hugepages:// allowed", true, MOUNT("bind", "hugepages://2M/hp"), "" },
	{ "other types allowed", true,
	  "{\"mounts\":[{\"type\":\"tmpfs\",\"source\":\"tmpfs\"},{\"type\":\"proc\",\"source\":\"/proc\"},"
	  "{\"destination\":\"/x\",\"source\":\"/host\",\"options\":[\"rbind\"]},{\"type\":\"Bind\",\"source\":\"/h\"}]}", "" },
	{ "every violation, in order", true,
	  "{\"mounts\":[{\"type\":\"bind\",\"source\":\"/a\"},{\"type\":\"tmpfs\"},{\"type\":\"virtual-disk\",\"source\":\"b\"}],"
	  "\"windows\":{\"devices\":[{\"idType\":\"gpu\",\"id\":\"g\"}]}}",
	  "c.json: windows.devices[0]: rejected: device assignment (idType \"gpu\", id \"g\"): an assigned host device " MOVE "\n"
	  "c.json: mounts[0]: rejected: bind mount of \"/a\": a directory mount of a host path is a Plan9 share that " MOVE "\n"
	  "c.json: mounts[2]: rejected: virtual-disk mount of \"b\": a VHD mount attaches a host disk that " MOVE "\n" },
};

static void test_policy(void **state)
{
	const struct policy_case *c = *state;
	char err[SPEC_ERR_LEN] = "", *got;
	struct findings f = { 0 };
	struct spec s;

	if (load(&s, c->container ? "c.json" : "pod.json", c->json, err))
		fail_msg("%s: %s", c->name, err);
	if (c->container)
		assert_int_equal(policy_check_container(&s, &f), 0);
	else
		assert_int_equal(policy_check_pod(&s, &f), 0);
	got = joined(&f);
	assert_string_equal(got, c->expect);
	free(got);
	findings_free(&f);
	spec_free(&s);
}

/* Every row of the table is reached by a case above: a rule nobody tests is a rule that
 * can be removed unnoticed. */
static void test_table_lookup(void **state)
{
	(void)state;
	assert_null(policy_find(SCOPE_ANNOTATION, "io.microsoft.container.x"));
	assert_int_equal(policy_find(SCOPE_ANNOTATION, VM "lcow.vpcienabled")->action, ACT_LOCK_BOOL);
	assert_int_equal(policy_find(SCOPE_ANNOTATION, VM "hv-socket.service-table.x")->action, ACT_REJECT);
	assert_string_equal(policy_find(SCOPE_ANNOTATION, VM "hv-socket.service-table.x")->match,
			    VM "hv-socket.service-table.");
	assert_null(policy_find(SCOPE_MOUNT_TYPE, "tmpfs"));
	assert_int_equal(policy_find(SCOPE_MOUNT_TYPE, "bind")->action, ACT_CHECK_SOURCE);
	assert_int_equal(policy_find(SCOPE_BIND_SOURCE, "uvm://x")->action, ACT_ALLOW);
	assert_int_equal(policy_find(SCOPE_BIND_SOURCE, "uvm:/x")->action, ACT_REJECT);
	assert_int_equal(policy_find(SCOPE_DEVICE, "anything")->action, ACT_REJECT);
	assert_int_equal(policy_find(SCOPE_VM_DEVICE, "")->action, ACT_REJECT);
	assert_int_equal(policy_find(SCOPE_ANNOTATION, VM "lcow.timesync.disable")->action, ACT_ALLOW);
	assert_int_equal(policy_find(SCOPE_ANNOTATION, VM "devices.virtualpmem.maximumsizebytes")->action, ACT_ALLOW);
	assert_int_equal(policy_find(SCOPE_ANNOTATION, VM "fileshares.disablewritable")->action, ACT_ALLOW);
}

/* --- the plan ------------------------------------------------------------------------------ */
struct plan_case {
	const char *name;
	const char *pod;	 /* annotations object body */
	struct uvmplan_opts o;	 /* .scrub_logs: -1 unset */
	const char *cmdline;	 /* NULL: refused with err */
	const char *err;
};

#define NORMAL_HEAD "8250_core.nr_uarts=0 panic=-1 quiet -- -e 1 /bin/vsockexec -e 109 /bin/gcs -v4 -log-format json -loglevel "
#define MIG_HEAD "8250_core.nr_uarts=0 panic=-1 quiet uvminit.migratable=1 -- -e 1 /bin/gcs -v4 -log-format json -loglevel "
#define RELAY_HEAD "8250_core.nr_uarts=0 panic=-1 quiet -- -e 1 /bin/vsockexec -r -e 109 /bin/gcs -v4 -log-format json -loglevel "
#define CONSOLE "8250_core.nr_uarts=1 8250_core.skip_txen_test=1 console=ttyS0,115200 "
#define OPTS(...) { __VA_ARGS__ } /* .scrub_logs: 0 unset, 1 false, 2 true here */
#define KBO "pod.json: io.microsoft.virtualmachine.lcow.kernelbootoptions: "

static const struct plan_case plan_cases[] = {
	{ "normal pod: hcsshim's line", "", OPTS(0), NORMAL_HEAD "info", NULL },
	{ "migratable pod: hcsshim HEAD's relay, no uvminit.migratable", "", OPTS(.migratable = true),
	  RELAY_HEAD "info", NULL },
	{ "migratable pod, --logs relay", "", OPTS(.migratable = true, .logs = UVMPLAN_LOGS_RELAY),
	  RELAY_HEAD "info", NULL },
	{ "migratable pod, --logs off: no wrapper, uvminit.migratable=1", "",
	  OPTS(.migratable = true, .logs = UVMPLAN_LOGS_OFF), MIG_HEAD "info", NULL },
	{ "--logs is for a migratable pod only", "", OPTS(.logs = UVMPLAN_LOGS_RELAY), NULL,
	  "--logs: for a migratable pod only (a normal pod's agent always runs under /bin/vsockexec -e 109)" },
	{ "--logs off on a normal pod too", "", OPTS(.logs = UVMPLAN_LOGS_OFF), NULL,
	  "--logs: for a migratable pod only (a normal pod's agent always runs under /bin/vsockexec -e 109)" },
	{ "extra exec args appended as is, after every flag", ANN(VM "lcow.extra-exec-command-args", "-a  b=c --x")
	  ANN("io.microsoft.container.processdumplocation", "/d"), OPTS(.scrub_logs = 2),
	  NORMAL_HEAD "info -scrub-logs=true -core-dump-location /d -a b=c --x", NULL },
	{ "extra exec args in the relay plan", ANN(VM "lcow.extra-exec-command-args", "-x"),
	  OPTS(.migratable = true), RELAY_HEAD "info -x", NULL },
	{ "extra exec args of spaces: no word", ANN(VM "lcow.extra-exec-command-args", "  "),
	  OPTS(0), NORMAL_HEAD "info", NULL },
	{ "extra exec args with a quote", ANN(VM "lcow.extra-exec-command-args", "-a=\\\"b c\\\""), OPTS(0), NULL,
	  "pod.json: " VM "lcow.extra-exec-command-args: byte 0x22 at offset 3: the agent's words must be printable ASCII without quotes (the kernel splits at tab, newline and 0xa0, and takes quotes off)" },
	{ "extra exec args with a tab", ANN(VM "lcow.extra-exec-command-args", "-a\\tb"), OPTS(0), NULL,
	  "pod.json: " VM "lcow.extra-exec-command-args: byte 0x09 at offset 2: the agent's words must be printable ASCII without quotes (the kernel splits at tab, newline and 0xa0, and takes quotes off)" },
	{ "extra exec args with 0xa0", ANN(VM "lcow.extra-exec-command-args", "-a\\u00a0b"), OPTS(0), NULL,
	  "pod.json: " VM "lcow.extra-exec-command-args: byte 0xc2 at offset 2: the agent's words must be printable ASCII without quotes (the kernel splits at tab, newline and 0xa0, and takes quotes off)" },
	{ "extra exec args with a standalone --", ANN(VM "lcow.extra-exec-command-args", "-a -- -b"), OPTS(0), NULL,
	  "pod.json: " VM "lcow.extra-exec-command-args: a standalone \"--\": the kernel would drop it and every word after it" },
	{ "extra exec args past the kernel's 32 init arguments",
	  ANN(VM "lcow.extra-exec-command-args", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22"), OPTS(0), NULL,
	  "pod.json: " VM "lcow.extra-exec-command-args: 33 arguments for init; the kernel panics with more than 32" },
	{ "extra exec args: 32 init arguments fit",
	  ANN(VM "lcow.extra-exec-command-args", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21"), OPTS(0),
	  NORMAL_HEAD "info 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21", NULL },
	{ "extra exec args far past MAX_WORDS: counted, refused",
	  ANN(VM "lcow.extra-exec-command-args", "a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a"),
	  OPTS(0), NULL,
	  "pod.json: " VM "lcow.extra-exec-command-args: 97 arguments for init; the kernel panics with more than 32" },
	{ "agent flags in hcsshim's order", ANN(VM "lcow.timesync.disable", "true"),
	  OPTS(.log_level = "info", .scrub_logs = 1, .core_dump_dir = "/run/cores"),
	  NORMAL_HEAD "info -disable-time-sync -scrub-logs=false -core-dump-location /run/cores", NULL },
	{ "migratable keeps the agent flags", "", OPTS(.migratable = true, .log_level = "WARNING", .scrub_logs = 2),
	  RELAY_HEAD "WARNING -scrub-logs=true", NULL },
	{ "migratable, --logs off keeps the agent flags", "",
	  OPTS(.migratable = true, .logs = UVMPLAN_LOGS_OFF, .log_level = "WARNING", .scrub_logs = 2),
	  MIG_HEAD "WARNING -scrub-logs=true", NULL },
	{ "console", "", OPTS(.console = true),
	  CONSOLE "-- -e 1 /bin/vsockexec -e 109 /bin/gcs -v4 -log-format json -loglevel info", NULL },
	{ "kernel boot options before --", ANN(VM "lcow.kernelbootoptions", "uvminit.cgroup=v1 dm-mod.create=\\\"a b\\\" ro"),
	  OPTS(0), "8250_core.nr_uarts=0 panic=-1 quiet uvminit.cgroup=v1 dm-mod.create=\"a b\" ro -- -e 1 /bin/vsockexec -e 109 /bin/gcs -v4 -log-format json -loglevel info", NULL },
	{ "dump location from the pod's annotation", ANN("io.microsoft.container.processdumplocation", "/var/dumps"),
	  OPTS(0), NORMAL_HEAD "info -core-dump-location /var/dumps", NULL },
	{ "--core-dump-location wins over the annotation", ANN("io.microsoft.container.processdumplocation", "/var/dumps"),
	  OPTS(.core_dump_dir = "/run/c"), NORMAL_HEAD "info -core-dump-location /run/c", NULL },
	{ "writable overlays on a VHD root: -w", ANN(VM "lcow.writable-overlay-directories", "1") ANN(VM "lcow.preferredrootfstype", "vhd"),
	  OPTS(0), "8250_core.nr_uarts=0 panic=-1 quiet -- -e 1 -w /bin/vsockexec -e 109 /bin/gcs -v4 -log-format json -loglevel info", NULL },
	{ "writable overlays on an initrd: no -w", ANN(VM "lcow.writable-overlay-directories", "1"),
	  OPTS(0), NORMAL_HEAD "info", NULL },
	/* refused */
	{ "unknown log level", "", OPTS(.log_level = "verbose"), NULL,
	  "--log-level \"verbose\": not a level gcs accepts (panic fatal error warn warning info debug trace)" },
	{ "log level with a space", "", OPTS(.log_level = "debug -x"), NULL,
	  "--log-level \"debug -x\": not a level gcs accepts (panic fatal error warn warning info debug trace)" },
	{ "log level with a newline", "", OPTS(.log_level = "debug\n"), NULL,
	  "--log-level \"debug\\x0a\": not a level gcs accepts (panic fatal error warn warning info debug trace)" },
	{ "empty log level", "", OPTS(.log_level = ""), NULL,
	  "--log-level \"\": not a level gcs accepts (panic fatal error warn warning info debug trace)" },
	{ "relative dump dir", "", OPTS(.core_dump_dir = "cores"), NULL,
	  "--core-dump-location \"cores\": not an absolute path in the guest" },
	{ "dump dir with a space", "", OPTS(.core_dump_dir = "/a b"), NULL,
	  "--core-dump-location \"/a b\": byte 0x20 at offset 2: a kernel command line word cannot hold spaces, quotes, control or non-ASCII bytes" },
	{ "dump dir with a quote", "", OPTS(.core_dump_dir = "/a\"b"), NULL,
	  "--core-dump-location \"/a\\\"b\": byte 0x22 at offset 2: a kernel command line word cannot hold spaces, quotes, control or non-ASCII bytes" },
	{ "dump dir with a tab", "", OPTS(.core_dump_dir = "/a\tb"), NULL,
	  "--core-dump-location \"/a\\x09b\": byte 0x09 at offset 2: a kernel command line word cannot hold spaces, quotes, control or non-ASCII bytes" },
	{ "dump dir with 0xa0 (a space to the kernel)", "", OPTS(.core_dump_dir = "/a\xa0" "b"), NULL,
	  "--core-dump-location \"/a\\xa0b\": byte 0xa0 at offset 2: a kernel command line word cannot hold spaces, quotes, control or non-ASCII bytes" },
	{ "empty dump dir", "", OPTS(.core_dump_dir = ""), NULL,
	  "--core-dump-location \"\": not an absolute path in the guest" },
	{ "dump annotation with a space", ANN("io.microsoft.container.processdumplocation", "/a b"), OPTS(0), NULL,
	  "pod.json: io.microsoft.container.processdumplocation: \"/a b\": byte 0x20 at offset 2: a kernel command line word cannot hold spaces, quotes, control or non-ASCII bytes" },
	{ "boot options with a newline", ANN(VM "lcow.kernelbootoptions", "quiet\\nfoo"), OPTS(0), NULL,
	  KBO "byte 0x0a at offset 5: only printable ASCII is safe on a kernel command line (the kernel also splits at tab, newline and 0xa0)" },
	{ "boot options with a tab", ANN(VM "lcow.kernelbootoptions", "a\\tb"), OPTS(0), NULL,
	  KBO "byte 0x09 at offset 1: only printable ASCII is safe on a kernel command line (the kernel also splits at tab, newline and 0xa0)" },
	{ "boot options with a no-break space", ANN(VM "lcow.kernelbootoptions", "a\\u00a0b"), OPTS(0), NULL,
	  KBO "byte 0xc2 at offset 1: only printable ASCII is safe on a kernel command line (the kernel also splits at tab, newline and 0xa0)" },
	{ "boot options with a standalone --", ANN(VM "lcow.kernelbootoptions", "quiet -- /bin/sh"), OPTS(0), NULL,
	  KBO "a standalone \"--\" would end the kernel's parameters there and hand the rest to init ahead of the agent" },
	{ "boot options with a quoted --", ANN(VM "lcow.kernelbootoptions", "quiet \\\"--\\\""), OPTS(0), NULL,
	  KBO "a standalone \"--\" would end the kernel's parameters there and hand the rest to init ahead of the agent" },
	{ "boot options with an open quote", ANN(VM "lcow.kernelbootoptions", "a=\\\"b c"), OPTS(0), NULL,
	  KBO "unterminated quote: the kernel would read the \"--\" and init's arguments into it" },
	{ "boot options setting uvminit.migratable", ANN(VM "lcow.kernelbootoptions", "uvminit.migratable=0"), OPTS(0), NULL,
	  KBO "uvminit.migratable is set by uvmctl from io.microsoft.migration.support-enabled (or --migratable)" },
	{ "boot options init would log as invalid", ANN(VM "lcow.kernelbootoptions", "uvminit.cgroup=v3"), OPTS(0), NULL,
	  KBO "init would log: uvminit.cgroup=v3: not v1 or v2; detecting the cgroup version" },
	{ "boot options with a bare word the kernel hands to init", ANN(VM "lcow.kernelbootoptions", "quiet foo"), OPTS(0), NULL,
	  KBO "init would log: kernel command line: foo: not a kernel option init knows; the kernel passes it to init ahead of the command after \"--\", and init drops it" },
	{ "boot options with the kernel's own bare words", ANN(VM "lcow.kernelbootoptions", "ro debug"), OPTS(0),
	  "8250_core.nr_uarts=0 panic=-1 quiet ro debug -- -e 1 /bin/vsockexec -e 109 /bin/gcs -v4 -log-format json -loglevel info", NULL },
	{ "time sync annotation not a boolean", ANN(VM "lcow.timesync.disable", "yes"), OPTS(0), NULL,
	  "pod.json: " VM "lcow.timesync.disable: \"yes\" is not a boolean (Go ParseBool)" },
	{ "writable overlays annotation not a boolean", ANN(VM "lcow.writable-overlay-directories", "on"), OPTS(0), NULL,
	  "pod.json: " VM "lcow.writable-overlay-directories: \"on\" is not a boolean (Go ParseBool)" },
};

static void test_plan(void **state)
{
	const struct plan_case *c = *state;
	char json[4096], err[UVMPLAN_ERR_LEN] = "";
	struct uvmplan_opts o = c->o;
	struct uvmplan p;
	struct spec s;
	int rc;

	snprintf(json, sizeof(json), "{\"annotations\":{\"io.kubernetes.cri.container-type\":\"sandbox\"%s}}", c->pod);
	if (load(&s, "pod.json", json, err))
		fail_msg("%s: %s", c->name, err);
	o.scrub_logs -= 1; /* the table's 0 is "not given" */
	rc = uvmplan_build(&s, &o, &p, err, sizeof(err));
	if (c->cmdline) {
		if (rc)
			fail_msg("%s: %s", c->name, err);
		assert_string_equal(p.cmdline, c->cmdline);
		assert_int_equal(p.migratable, c->o.migratable);
		assert_int_equal(p.log_listener, !(c->o.migratable && c->o.logs == UVMPLAN_LOGS_OFF));
		uvmplan_free(&p);
	} else {
		assert_int_equal(rc, -EINVAL);
		assert_string_equal(err, c->err);
		assert_null(p.cmdline);
	}
	spec_free(&s);
}

/* hcsshim HEAD's own kernel-args expectations (internal/builder/vm/lcow/specs_test.go at
 * 7c9ff7f: TestBuildSandboxConfig's kernel-args cases and TestBuildSandboxConfig_LiveMigration),
 * run as `uvmctl plan` runs: migratable from the annotation, then the plan. Where HEAD's
 * test checks only that a word is there, the whole of init's arguments is written out
 * here from buildInitArgs and buildGCSCommand. */
struct head_case {
	const char *name;
	const char *pod;	/* annotations object body (after the sandbox key) */
	struct uvmplan_opts o;	/* .scrub_logs as in plan_cases */
	const char *init_args;	/* what follows " -- "; NULL: refused with err */
	const char *err;
};

#define GCS "/bin/vsockexec -e 109 /bin/gcs -v4 -log-format json -loglevel "
#define GCS_R "/bin/vsockexec -r -e 109 /bin/gcs -v4 -log-format json -loglevel "
#define LM(v) ANN("io.microsoft.migration.support-enabled", v)

static const struct head_case head_cases[] = {
	{ "HEAD: writable overlay dirs with VHD", ANN(VM "lcow.writable-overlay-directories", "true")
	  ANN(VM "lcow.preferredrootfstype", "vhd"), OPTS(0), "-e 1 -w " GCS "info", NULL },
	{ "HEAD: disable time sync service", ANN(VM "lcow.timesync.disable", "true"), OPTS(0),
	  "-e 1 " GCS "info -disable-time-sync", NULL },
	{ "HEAD: process dump location", ANN("io.microsoft.container.processdumplocation", "/tmp/dumps"),
	  OPTS(0), "-e 1 " GCS "info -core-dump-location /tmp/dumps", NULL },
	{ "HEAD: gcs log level from options", "", OPTS(.log_level = "debug"), "-e 1 " GCS "debug", NULL },
	{ "HEAD: scrub logs option enabled", "", OPTS(.scrub_logs = 2), "-e 1 " GCS "info -scrub-logs=true", NULL },
	{ "HEAD: scrub logs option disabled", "", OPTS(.scrub_logs = 1), "-e 1 " GCS "info -scrub-logs=false", NULL },
	{ "HEAD: scrub logs option unset", "", OPTS(0), "-e 1 " GCS "info", NULL },
	{ "HEAD: live migration disabled by default", "", OPTS(0), "-e 1 " GCS "info", NULL },
	{ "HEAD: live migration explicitly disabled", LM("false"), OPTS(0), "-e 1 " GCS "info", NULL },
	{ "HEAD: live migration enabled uses vsockexec reconnect mode", LM("true"), OPTS(0),
	  "-e 1 " GCS_R "info", NULL },
	{ "HEAD: live migration combined with debug log level", LM("true"), OPTS(.log_level = "debug"),
	  "-e 1 " GCS_R "debug", NULL },
	{ "HEAD: live migration with disable time sync uses vsockexec reconnect mode",
	  LM("true") ANN(VM "lcow.timesync.disable", "true"), OPTS(0), "-e 1 " GCS_R "info -disable-time-sync", NULL },
	/* HEAD's ParseAnnotationsBool falls back to false; a checker refuses to guess */
	{ "HEAD: live migration invalid annotation value (refused here)", LM("not-a-bool"), OPTS(0), NULL,
	  "pod.json: io.microsoft.migration.support-enabled: \"not-a-bool\" is not a boolean (1 t T TRUE true True 0 f F FALSE false False)" },
	{ "HEAD: extra exec command args appended last", ANN(VM "lcow.extra-exec-command-args", "-foo bar")
	  ANN(VM "lcow.timesync.disable", "true"), OPTS(.scrub_logs = 1), "-e 1 " GCS "info -disable-time-sync -scrub-logs=false -foo bar", NULL },
};

static void test_head(void **state)
{
	const struct head_case *c = *state;
	char json[4096], err[UVMPLAN_ERR_LEN] = "";
	struct uvmplan_opts o = c->o;
	struct uvmplan p = { 0 };
	struct spec s;
	const char *args;
	int rc;

	snprintf(json, sizeof(json), "{\"annotations\":{\"io.kubernetes.cri.container-type\":\"sandbox\"%s}}", c->pod);
	if (load(&s, "pod.json", json, err))
		fail_msg("%s: %s", c->name, err);
	o.scrub_logs -= 1;
	rc = policy_pod_migratable(&s, &o.migratable, err, sizeof(err));
	if (!rc)
		rc = uvmplan_build(&s, &o, &p, err, sizeof(err));
	if (!c->init_args) {
		assert_int_equal(rc, -EINVAL);
		assert_string_equal(err, c->err);
		spec_free(&s);
		return;
	}
	if (rc)
		fail_msg("%s: %s", c->name, err);
	args = strstr(p.cmdline, " -- ");
	assert_non_null(args);
	assert_string_equal(args + 4, c->init_args);
	/* InitializeLiveMigrationOnSource's test: the reconnecting forwarder is on the line */
	assert_int_equal(strstr(p.cmdline, "/bin/vsockexec -r -e 109") != NULL, o.migratable);
	assert_true(p.log_listener);
	uvmplan_free(&p);
	spec_free(&s);
}

/* The kernel keeps 2047 bytes of command line: a longer plan is refused, not cut. */
static void test_plan_too_long(void **state)
{
	static char json[8192], opts[3000];
	struct uvmplan_opts o = { .scrub_logs = -1 };
	char err[UVMPLAN_ERR_LEN];
	struct uvmplan p;
	struct spec s;
	size_t fits = UVMPLAN_CMDLINE_MAX - strlen(NORMAL_HEAD "info") - 1;

	(void)state;
	memset(opts, 'x', fits); /* exactly the longest that fits: planned */
	opts[fits] = '\0';
	snprintf(json, sizeof(json), "{\"annotations\":{\"%s\":\"a.%s\"}}",
		 VM "lcow.kernelbootoptions", opts + 2);
	assert_int_equal(load(&s, "pod.json", json, err), 0);
	assert_int_equal(uvmplan_build(&s, &o, &p, err, sizeof(err)), 0);
	assert_int_equal(strlen(p.cmdline), UVMPLAN_CMDLINE_MAX);
	uvmplan_free(&p);
	spec_free(&s);
	snprintf(json, sizeof(json), "{\"annotations\":{\"%s\":\"a.%sx\"}}",
		 VM "lcow.kernelbootoptions", opts + 2);
	assert_int_equal(load(&s, "pod.json", json, err), 0);
	assert_int_equal(uvmplan_build(&s, &o, &p, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "pod.json: the command line would be 2048 bytes; the kernel keeps 2047");
	spec_free(&s);
}

static void test_escape(void **state)
{
	char out[16];

	(void)state;
	spec_escape(out, sizeof(out), "a\"b\\c\n\xff", 100);
	assert_string_equal(out, "a\\\"b\\\\c\\x0a...");
	spec_escape(out, sizeof(out), "abcdef", 3);
	assert_string_equal(out, "abc...");
	spec_escape(out, sizeof(out), "", 3);
	assert_string_equal(out, "");
}

#define CASES(test, table)                                                               \
	do {                                                                             \
		for (size_t i_ = 0; i_ < sizeof(table) / sizeof(table[0]); i_++)        \
			tests[n++] = (struct CMUnitTest){ .name = table[i_].name,        \
							  .test_func = test,             \
							  .initial_state = (void *)&table[i_] }; \
	} while (0)

int main(void)
{
	static struct CMUnitTest tests[256];
	size_t n = 0;

	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_go_bool);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_go_u32);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_go_fold);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_load_file);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_migratable);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_table_lookup);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_plan_too_long);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_escape);
	CASES(test_read, read_cases);
	CASES(test_policy, policy_cases);
	CASES(test_plan, plan_cases);
	CASES(test_head, head_cases);
	return _cmocka_run_group_tests("uvmctl", tests, n, NULL, NULL);
}
