# SPDX-License-Identifier: GPL-2.0
#
# make            build drsnoop, its BPF object and the man page
# make run        install what is missing, build, and run drsnoop (ARGS=...)
# make check      install what is missing, build, run every test
# make test       the tests alone: unit (no privileges), then kernel (root)
# make install    install under $(DESTDIR)$(prefix)
# make vmcheck    the kernel tests on Debian's kernels in qemu (K=6.1-cloud: one)
# make deb        the Debian packages, in .output/deb (debian/)
# ARCH=arm64      cross-build for arm64 into .output/arm64 (make ARCH=arm64
#                 test-build: what scripts/vmcheck's arm64 guest runs)
# V=1             show the commands

VERSION := 0.1.0
OUTPUT := .output
prefix ?= /usr/local
sbindir ?= $(prefix)/sbin
mandir ?= $(prefix)/share/man
# systemd looks for administrators' units here (systemd.unit(5)).
unitdir ?= $(prefix)/lib/systemd/system

# The kernel's name for the machine drsnoop is built for; make ARCH=arm64
# on another machine cross-builds with Debian's multiarch: its
# gcc-aarch64-linux-gnu and the :arm64 development packages, found by
# pkg-config in their own directory (scripts/install-deps cross). Every
# output, drsnoop itself and its BPF objects, whose kprobe programs read
# that machine's registers, goes to .output/ARCH.
HOST_ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' \
	-e 's/ppc64le/powerpc/' -e 's/s390x/s390/' -e 's/riscv64/riscv/')
ARCH := $(HOST_ARCH)
TRIPLET_arm64 := aarch64-linux-gnu
ifeq ($(ARCH),$(HOST_ARCH))
PROG := drsnoop
PKG_CONFIG ?= pkg-config
else
TRIPLET := $(TRIPLET_$(ARCH))
ifeq ($(TRIPLET),)
$(error unknown ARCH '$(ARCH)': only arm64 is cross-built)
endif
OUTPUT := .output/$(ARCH)
PROG := $(OUTPUT)/drsnoop
CROSS_COMPILE ?= $(TRIPLET)-
# libtracecmd's arm64 package cannot be installed beside the host's (it
# is not Multi-Arch: same); drsnoop only includes its headers, the same
# for both, and dlopen()s it by its soname: the host's .pc, searched last,
# serves for it.
PKG_CONFIG ?= PKG_CONFIG_LIBDIR=/usr/lib/$(TRIPLET)/pkgconfig:/usr/share/pkgconfig:/usr/lib/$(shell cc -dumpmachine)/pkgconfig \
	pkg-config
endif
ifeq ($(origin CC),default)
CC := $(if $(CROSS_COMPILE),$(CROSS_COMPILE)gcc,cc)
endif
CLANG ?= clang
BPFTOOL ?= bpftool
# Quiet: make run and make check ask before scripts/install-deps has
# installed anything; a build without the packages stops at check-deps.
pkg_config = $(shell $(PKG_CONFIG) $(1) 2>/dev/null)

LIBS_PC := libbpf libelf zlib libseccomp libtracefs libtraceevent libtracecmd
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Werror=undef -Wno-unused-parameter
# --record writes with libtracecmd's undeclared output API, whose
# prototypes (src/sys/tracecmd_output.h) are those of libtracecmd 1.3.
TRACE_CFLAGS := $(call pkg_config,--cflags $(LIBS_PC)) \
	$(if $(shell $(PKG_CONFIG) --atleast-version=1.3 libtracecmd \
		2>/dev/null && $(PKG_CONFIG) --max-version=1.3.999 \
		libtracecmd 2>/dev/null && echo y),\
		-DLIBTRACECMD_OUTPUT_1_3)
ALL_CFLAGS := -std=gnu11 $(WARNINGS) $(CPPFLAGS) $(CFLAGS) \
	-DDRSNOOP_VERSION='"$(VERSION)"' -I. -I$(OUTPUT) $(TRACE_CFLAGS)
LDLIBS := $(call pkg_config,--libs libbpf libelf zlib libseccomp)
# Static libbpf, libelf and zlib, as libbpf-tools: ~220 KiB less resident;
# libseccomp too. DYNAMIC_LIBS=1 links them as shared objects, as Debian's
# packages must (debian/rules).
ifeq ($(DYNAMIC_LIBS),1)
RELEASE_LDLIBS := $(LDLIBS)
else
RELEASE_LDLIBS := -Wl,-Bstatic \
	$(call pkg_config,--static --libs libbpf libelf zlib libseccomp) \
	-Wl,-Bdynamic
endif
# drsnoop dlopen()s the trace libraries when it needs them
# (src/sys/tracelibs.c), by the sonames of those pkg-config finds; unit
# tests and fuzz targets, which call some directly, link them.
TRACE_LDLIBS := $(call pkg_config,--libs libtracefs libtraceevent \
	libtracecmd)
soname = $(shell readelf -d \
	$(call pkg_config,--variable=libdir $(1))/$(1).so 2>/dev/null | \
	sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
SONAME_DEFS := -DLIBTRACEEVENT_SONAME='"$(call soname,libtraceevent)"' \
	-DLIBTRACEFS_SONAME='"$(call soname,libtracefs)"' \
	-DLIBTRACECMD_SONAME='"$(call soname,libtracecmd)"'
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall \
	-Werror=undef -I. $(call pkg_config,--cflags-only-I libbpf)

# Each folder is one part (README's Layout); its sources are its *.c.
# The core's parts, lowest first: lib, sys, symbols, core, output; then
# src/ itself (main and the pipeline).
CORE_SRCS := $(foreach d,lib sys symbols core output,$(wildcard src/$(d)/*.c)) \
	src/pipeline.c
# The offline readers (-i FILE), with what they share with the ftrace
# backend; also built into the fuzz targets.
FILE_SRCS := $(foreach d,file tracedat perfdata shared,$(wildcard fallback/$(d)/*.c))
FTRACE_SRCS := $(wildcard fallback/ftrace/*.c)
BPF_SRCS := $(filter-out %.bpf.c,$(wildcard bpf/*.c))
DRSNOOP_SRCS := src/drsnoop.c $(CORE_SRCS) $(BPF_SRCS) $(FTRACE_SRCS) \
	$(FILE_SRCS)
DRSNOOP_OBJS := $(patsubst %.c,$(OUTPUT)/%.o,$(DRSNOOP_SRCS))

# Tests build everything again with the sanitizers; kernel tests run that
# drsnoop too, so a sanitizer report anywhere fails a test.
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
ASAN := $(OUTPUT)/asan
ASAN_OBJS := $(patsubst %.c,$(ASAN)/%.o,$(DRSNOOP_SRCS))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(ASAN)/tests/%, \
	$(wildcard tests/unit/test_*.c))

# libFuzzer targets for the file readers, perf.data's gfp names and the
# plugin, run briefly by tests/unit/fuzz.sh.
FUZZ_CC ?= clang
FUZZ := $(OUTPUT)/fuzz
FUZZ_TARGETS := $(FUZZ)/fuzz_tracedat $(FUZZ)/fuzz_perfdata \
	$(FUZZ)/fuzz_plugin $(FUZZ)/fuzz_gfp
FUZZ_SRCS := $(filter-out fallback/file/file_backend.c,$(FILE_SRCS)) \
	src/lib/pair.c src/lib/compact.c src/lib/high.c src/sys/gfp.c \
	src/sys/tracelibs.c src/symbols/ksyms.c \
	src/sys/privs.c src/sys/sandbox.c src/sys/seccomp_base.c
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -I. $(SONAME_DEFS) $(TRACE_CFLAGS)

# The libtraceevent plugin: position-independent objects, only the
# TEP_PLUGIN_* entry points exported, and no -ltraceevent (the host,
# trace-cmd or perf, provides the tep_* functions).
PLUGIN := $(OUTPUT)/plugin_drsnoop.so
PLUGIN_SRCS := plugin/plugin_drsnoop.c src/lib/pair.c
PLUGIN_OBJS := $(patsubst %.c,$(OUTPUT)/pic/%.o,$(PLUGIN_SRCS))
PLUGIN_CFLAGS := -std=gnu11 $(WARNINGS) $(CPPFLAGS) $(CFLAGS) -fPIC \
	-fvisibility=hidden -I. $(call pkg_config,--cflags libtraceevent)
# libtraceevent's built-in plugin directory; perf 6.1 does not search it
# (see TRACEEVENT_PLUGIN_DIR in the man page).
plugindir ?= $(call pkg_config,--variable=libdir libtraceevent)/traceevent/plugins

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.PHONY: all clean run check test test-build install install-plugin pressure doc \
	fuzz bench check-deps vmcheck deb

all: $(PROG) $(PLUGIN) doc $(OUTPUT)/drsnoop.service

doc: $(OUTPUT)/drsnoop.8

# What includes or links the libraries needs their packages: one line
# that says which are missing, rather than a compiler error.
check-deps:
	$(Q)missing=$$(for pc in $(LIBS_PC); do \
		$(PKG_CONFIG) --exists $$pc 2>/dev/null || printf ' %s' $$pc; \
	done); [ -z "$$missing" ] || { \
		echo "make: missing libraries:$$missing (scripts/install-deps" \
			"installs them; make run and make check run it first)" >&2; \
		exit 1; }

$(OUTPUT)/drsnoop.8: Documentation/drsnoop.8.txt
	$(call msg,MAN,$@)
	$(Q)command -v asciidoctor >/dev/null || \
		{ echo "make doc needs asciidoctor (apt-get install asciidoctor)" >&2; exit 1; }
	$(Q)mkdir -p $(@D)
	$(Q)asciidoctor -b manpage -o $@ $<

$(PROG): $(DRSNOOP_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(RELEASE_LDLIBS)

$(OUTPUT)/%.o: %.c | check-deps
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(OUTPUT)/src/sys/tracelibs.o $(ASAN)/src/sys/tracelibs.o: \
	ALL_CFLAGS += $(SONAME_DEFS)

# Three BPF objects, gzip-compressed into drsnoop by bpf/bpf_objects.c.
BPF_OBJS_GZ := $(patsubst %,$(OUTPUT)/%.bpf.o.gz,drsnoop drsnoop_fast \
	drsnoop_nobtf)
# The default programs claim their begin slots with BPF atomics.
$(OUTPUT)/drsnoop_fast.bpf.o: BPF_CFLAGS += -mcpu=v3
$(OUTPUT)/bpf/bpf_objects.o $(ASAN)/bpf/bpf_objects.o: $(BPF_OBJS_GZ)
$(OUTPUT)/bpf/bpf_objects.o $(ASAN)/bpf/bpf_objects.o: \
	ALL_CFLAGS += -DBPF_OBJECTS_DIR='"$(OUTPUT)"'

# bpftool gen object drops the DWARF that -g adds (the BTF stays): 260 KiB
# of drsnoop.bpf.o with it, 138 without.
$(OUTPUT)/%.bpf.o: bpf/%.bpf.c bpf/drsnoop.bpf.h bpf/drsnoop.h bpf/core_types.h \
	| check-deps
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c -o $(@:.bpf.o=.tmp.bpf.o) $<
	$(Q)$(BPFTOOL) gen object $@ $(@:.bpf.o=.tmp.bpf.o)
	$(Q)rm -f $(@:.bpf.o=.tmp.bpf.o)

$(OUTPUT)/%.bpf.o.gz: $(OUTPUT)/%.bpf.o
	$(call msg,GZIP,$@)
	$(Q)gzip -n -9 -c $< >$@

# Keep the objects: make would delete them as intermediates.
.SECONDARY: $(BPF_OBJS_GZ:.gz=)

$(ASAN)/drsnoop: $(ASAN_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(SANITIZE) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(ASAN)/%.o: %.c | check-deps
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(SANITIZE) -MMD -MP -c -o $@ $<

$(ASAN)/tests/%: tests/unit/%.c $(filter-out $(ASAN)/src/drsnoop.o,$(ASAN_OBJS))
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(SANITIZE) -o $@ $^ $(LDLIBS) $(TRACE_LDLIBS) \
		-lcmocka

# test_usyms names the functions of a shared object it loads, and of a
# stripped copy of it.
USYMS_FIXTURES := $(ASAN)/tests/libusyms-fixture.so \
	$(ASAN)/tests/libusyms-fixture-stripped.so
$(ASAN)/tests/test_usyms: | $(USYMS_FIXTURES)

$(ASAN)/tests/libusyms-fixture.so: tests/unit/usyms_fixture.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 $(WARNINGS) -O1 -fPIC -shared -o $@ $<

$(ASAN)/tests/libusyms-fixture-stripped.so: $(ASAN)/tests/libusyms-fixture.so
	$(call msg,STRIP,$@)
	$(Q)strip -o $@ $<

# Build before any test runs, so that a test never waits on the compiler.
# A cross build has what the kernel tests run; the unit tests and the
# fuzz targets run here, natively.
KERNEL_TEST_BUILD := $(PROG) $(ASAN)/drsnoop $(OUTPUT)/drpressure $(PLUGIN) \
	$(OUTPUT)/no-bpf $(OUTPUT)/setcomm $(OUTPUT)/slowpipe $(OUTPUT)/fragment
ifeq ($(ARCH),$(HOST_ARCH))
test-build: $(KERNEL_TEST_BUILD) $(UNIT_TESTS) $(FUZZ_TARGETS) \
	$(OUTPUT)/kshark-count
else
test-build: $(KERNEL_TEST_BUILD)
endif

test: test-build
	$(Q)tests/run

# On a fresh machine: install the build and test packages first; build
# the Debian package, which t72 installs on a throwaway root.
check:
	$(Q)scripts/install-deps deb
	$(Q)$(MAKE) --no-print-directory deb
	$(Q)$(MAKE) --no-print-directory test

# Each kernel of scripts/vmcheck's matrix, or those named in K (K=6.1-cloud,
# K="6.1 6.12"), runs its kernel tests in a qemu guest; the 6.1-systemd
# guest installs the package make deb builds (t72), the arm64 one
# (6.1-arm64, in the whole matrix too) runs the arm64 build.
VM_ARM64 := $(if $(K),$(findstring arm64,$(K)),arm64)
vmcheck:
	$(Q)scripts/install-deps vm deb $(if $(VM_ARM64),vm-arm64)
	$(Q)$(MAKE) --no-print-directory test-build
	$(if $(VM_ARM64),$(Q)$(MAKE) --no-print-directory ARCH=arm64 test-build)
	$(Q)$(MAKE) --no-print-directory deb
	$(Q)scripts/vmcheck $(K)

# dpkg-buildpackage in a copy of the tree, so that its packages land in
# .output/deb (it writes them beside the tree) and the build in the copy.
DEB := $(OUTPUT)/deb
deb:
	$(Q)scripts/install-deps deb
	$(call msg,DEB,$(DEB))
	$(Q)rm -rf $(DEB)
	$(Q)mkdir -p $(DEB)/drsnoop-$(VERSION)
	$(Q)tar -c --exclude=./.output --exclude=./.git --exclude=./drsnoop . | \
		tar -x -C $(DEB)/drsnoop-$(VERSION)
	$(Q)cd $(DEB)/drsnoop-$(VERSION) && \
		dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -30 ../build.log >&2; exit 1; }
	$(Q)rm -rf $(DEB)/drsnoop-$(VERSION)
	$(Q)ls $(DEB)/*.deb

run:
	$(Q)scripts/install-deps
	$(Q)$(MAKE) --no-print-directory drsnoop
	./drsnoop $(ARGS)

pressure: $(OUTPUT)/drpressure

# drsnoop against libbpf-tools' drsnoop (root, about 2 minutes): writes
# Documentation/performance.md.
BENCH := $(OUTPUT)/bench
# The breakdown's variants of bench-parts.bpf.c, each adding one element
# to one before it (PARTS_* below; scripts/bench names them in this
# order). Set before the rule that needs them.
BENCH_PARTS := empty pid clock task hash hash-noprealloc array reserve \
	noquery output stage percpu comm uid cgroup free
BENCH_TOOLS := $(BENCH)/ptyrun $(BENCH)/rawpages $(BENCH)/bpf-load \
	$(BENCH)/bench-floor.bpf.o $(BENCH)/bench-start.bpf.o \
	$(BENCH)/bench-kstack.bpf.o \
	$(patsubst %,$(BENCH)/bench-throttle-%.bpf.o,raw_tp tp_btf tracepoint) \
	$(BENCH)/bench-high-fentry.bpf.o $(BENCH)/bench-high-kprobe.bpf.o \
	$(patsubst %,$(BENCH)/bench-parts-%.bpf.o,$(BENCH_PARTS))

bench: drsnoop $(OUTPUT)/drpressure $(OUTPUT)/setcomm $(BENCH_TOOLS)
	$(Q)scripts/bench

$(BENCH)/ptyrun $(BENCH)/rawpages: $(BENCH)/%: tests/helpers/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 $(WARNINGS) -O2 -o $@ $<

$(BENCH)/bpf-load: tests/helpers/bpf-load.c tests/helpers/bench-stage.h \
	bpf/drsnoop.h | check-deps
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 $(WARNINGS) -O2 -I. \
		$(call pkg_config,--cflags libbpf) -o $@ $< $(RELEASE_LDLIBS)

$(BENCH)/bench-floor.bpf.o $(BENCH)/bench-start.bpf.o: \
	$(BENCH)/%.bpf.o: tests/helpers/%.bpf.c
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O2 -target bpf -Wall -c -o $@ $<

# The floors of --throttle and --high: one object for each attach type
# drsnoop may take there, its sections set here.
$(BENCH)/bench-throttle-%.bpf.o: HOOKS = \
	-DHOOK='"$(subst tracepoint,tracepoint/vmscan,$*)/mm_vmscan_throttled"'
$(BENCH)/bench-high-fentry.bpf.o: HOOKS := -DHOOK_ENTER='"fentry"' \
	-DHOOK_EXIT='"fexit"'
$(BENCH)/bench-high-kprobe.bpf.o: HOOKS := -DHOOK_ENTER='"kprobe"' \
	-DHOOK_EXIT='"kretprobe"'

$(BENCH)/bench-throttle-%.bpf.o: tests/helpers/bench-throttle.bpf.c
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O2 -target bpf -Wall $(HOOKS) -c -o $@ $<

$(BENCH)/bench-high-%.bpf.o: tests/helpers/bench-high.bpf.c
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O2 -target bpf -Wall $(HOOKS) -c -o $@ $<

# What each variant of the breakdown (BENCH_PARTS) builds in.
PARTS_empty := 0
PARTS_pid := PART_PID
PARTS_clock := $(PARTS_pid)|PART_CLOCK
PARTS_task := $(PARTS_clock)|PART_TASK
PARTS_hash := $(PARTS_clock)|PART_HASH
PARTS_hash-noprealloc := $(PARTS_clock)|PART_HASH_NOPREALLOC
PARTS_array := $(PARTS_clock)|PART_ARRAY
PARTS_reserve := $(PARTS_array)|PART_RESERVE
PARTS_noquery := $(PARTS_reserve)|PART_NOQUERY
PARTS_output := $(PARTS_array)|PART_OUTPUT
PARTS_stage := $(PARTS_array)|PART_STAGE
PARTS_percpu := $(PARTS_array)|PART_PERCPU
PARTS_comm := $(PARTS_reserve)|PART_COMM
PARTS_uid := $(PARTS_comm)|PART_UID
PARTS_cgroup := $(PARTS_uid)|PART_CGROUP
PARTS_free := $(PARTS_cgroup)|PART_FREE

$(BENCH)/bench-parts-%.bpf.o: tests/helpers/bench-parts.bpf.c \
	tests/helpers/bench-stage.h bpf/drsnoop.bpf.h bpf/drsnoop.h \
	bpf/core_types.h | check-deps
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -mcpu=v3 -DPARTS='($(PARTS_$*))' -c -o $@ $<

$(BENCH)/bench-kstack.bpf.o: tests/helpers/bench-kstack.bpf.c bpf/drsnoop.h \
	bpf/core_types.h | check-deps
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c -o $@ $<

fuzz: $(FUZZ_TARGETS)

# The plugin's handlers on the vmscan formats of a real kernel.
$(FUZZ)/fuzz_plugin: tests/fuzz/fuzz_plugin.c $(PLUGIN_SRCS) | check-deps
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) \
		-DFUZZ_FORMATS='"$(CURDIR)/tests/fixtures/formats/6.18"' \
		-MMD -MP -MF $@.d -o $@ $< $(PLUGIN_SRCS) $(TRACE_LDLIBS)

$(FUZZ)/%: tests/fuzz/%.c $(FUZZ_SRCS) | check-deps
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -MF $@.d -o $@ $< $(FUZZ_SRCS) \
		$(TRACE_LDLIBS) $(call pkg_config,--libs libseccomp)

# Runs a command with bpf(2) denied, as a container's seccomp profile does.
$(OUTPUT)/no-bpf: tests/helpers/no-bpf.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 $(WARNINGS) -O2 -o $@ $<

# Sets its task name with prctl (any bytes), then reads a file.
$(OUTPUT)/setcomm: tests/helpers/setcomm.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 $(WARNINGS) -O2 -o $@ $<

# Fragments free memory, then faults huge pages: direct compaction.
$(OUTPUT)/fragment: tests/helpers/fragment.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 $(WARNINGS) -O2 -o $@ $<

# Loads a trace.dat through KernelShark's library; not -Wextra: its
# header declares functions returning const int.
$(OUTPUT)/kshark-count: tests/helpers/kshark-count.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -Wall -O2 -o $@ $< \
		$(call pkg_config,--cflags --libs libkshark)

# Runs a command whose output nobody reads for a while.
$(OUTPUT)/slowpipe: tests/helpers/slowpipe.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 $(WARNINGS) -O2 -o $@ $<

$(OUTPUT)/drpressure: scripts/drpressure.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 $(WARNINGS) -O2 -g -fno-omit-frame-pointer -o $@ $< \
		-lpthread

$(OUTPUT)/pic/%.o: %.c | check-deps
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(PLUGIN_CFLAGS) -MMD -MP -c -o $@ $<

$(PLUGIN): $(PLUGIN_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(PLUGIN_CFLAGS) -shared $(LDFLAGS) -o $@ $^

# libtraceevent loads every plugin in every directory it searches, twice
# if found twice: install into its own directory, and nowhere else.
install: $(PROG) doc install-plugin $(OUTPUT)/drsnoop.service
	$(call msg,INSTALL,$(DESTDIR)$(sbindir)/drsnoop)
	$(Q)install -D -m 0755 $(PROG) $(DESTDIR)$(sbindir)/drsnoop
	$(call msg,INSTALL,$(DESTDIR)$(mandir)/man8/drsnoop.8)
	$(Q)install -D -m 0644 $(OUTPUT)/drsnoop.8 $(DESTDIR)$(mandir)/man8/drsnoop.8
	$(call msg,INSTALL,$(DESTDIR)$(unitdir)/drsnoop.service)
	$(Q)install -D -m 0644 $(OUTPUT)/drsnoop.service \
		$(DESTDIR)$(unitdir)/drsnoop.service

# The unit runs drsnoop where make install puts it.
$(OUTPUT)/drsnoop.service: scripts/drsnoop.service
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed 's|@sbindir@|$(sbindir)|' $< >$@

install-plugin: $(PLUGIN)
	$(call msg,INSTALL,$(DESTDIR)$(plugindir)/plugin_drsnoop.so)
	$(Q)install -D -m 0644 $(PLUGIN) $(DESTDIR)$(plugindir)/plugin_drsnoop.so

clean:
	$(call msg,CLEAN)
	$(Q)rm -rf $(OUTPUT) $(PROG)

-include $(DRSNOOP_OBJS:.o=.d) $(ASAN_OBJS:.o=.d) $(PLUGIN_OBJS:.o=.d) \
	$(FUZZ_TARGETS:=.d)
