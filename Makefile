# SPDX-License-Identifier: GPL-2.0-only
# pvboot: one hand-written Makefile; everything built goes to $(BUILD) (build/).
#
#   make            libpvboot (.a and .so) and the programs; no test oracle, no -Werror
#   make check      every suite (what CI runs, with -Werror); installs Debian dependencies first
#   make install    the programs, libpvboot, its headers and libpvboot.pc, man pages, the
#                   corpus generator and impl files; PREFIX, DESTDIR, BINDIR, LIBDIR, ... below
#   make uninstall  removes what make install installed
#   make install-fsimage, uninstall-fsimage  the libfsimage plugins in the host's Xen
#                   (dpkg-divert on Debian: doc/plugin.md)
#   make dist       $(BUILD)/pvboot-VERSION.tar.gz from git archive HEAD; make distcheck
#                   unpacks it outside git and runs its whole make check
#   make asan       unit suites and fuzz seed replays under ASan + UBSan
#   make p4         32-bit -march=pentium4 build of the library and programs
#   make tcc        the same built by tcc (a stand-in for a very old compiler), in build/tcc
#   make bench      pvbench: pvboot, its 32-bit build and every peer over realistic images and
#                   CORPUS, next to the physical floors (BENCH_ARGS adds pvbench options)
#   make fsimage    libfsimage plugins in build/fsimage: stock pygrub reading ext, XFS, ISO 9660, FAT and ReiserFS with libpvboot
#   make coverage   lcov HTML in build/coverage and line/function coverage per ref/ folder and tools/conform
#   make fuzz       libFuzzer targets with clang, FUZZ_SECONDS (20) each
#                   (FUZZ_TARGETS="fuzz_part ..." picks some)
#   make conform    pvconform: every implementation in tools/conform/impls over CORPUS
#   make report     REPORT.md + REPORT.svg: the corpus, then the conform run written out
#                   (real boots included: pvconform --boot), then the last make bench's sections
#   make boottest   real boots: each implementation's extraction of every boot case, booted under qemu
#   make corpus     guest disk images and expectations in build/corpus (images/README.md)
#   make corpus-pack  build/corpus.tar: the corpus as one sparse tarball for an old host
#
# Variants (asan, p4, cov, fuzz) are this Makefile run again with another
# BUILD directory and VFLAGS; a flags stamp rebuilds objects when CC or flags change.

BUILD    ?= build
# A plain make is make all (the first rule below is a program's).
.DEFAULT_GOAL := all
# DWARF 4 under clang: Debian 12's valgrind (3.19, pvbench --instructions) and old hosts'
# debuggers cannot read clang 14's default DWARF 5.
ifneq ($(findstring clang,$(CC)),)
OPT      ?= -O2 -g -gdwarf-4
endif
OPT      ?= -O2 -g
VFLAGS   ?=
DEPFLAGS ?= -MMD -MP
WARN     := -std=c99 -pedantic -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# -Werror only where the compiler is the one the code is checked with: make check and CI set
# WERROR=1; a plain make or a distribution's build with a newer compiler warns and goes on.
WERROR   ?= 0
ifeq ($(WERROR),1)
WARN     += -Werror
endif
CPPFLAGS += -Iref -Itools -D_FILE_OFFSET_BITS=64 -D_POSIX_C_SOURCE=200809L
ALL_CFLAGS = $(WARN) $(OPT) $(VFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(VFLAGS) $(LDFLAGS)
FUZZ_SECONDS ?= 20

# Compressed qcow/qcow2 clusters: zlib always; zstd unless ZSTD=0. There is no
# 32-bit libzstd package, so `make p4` builds without it, and a zstd cluster
# read by that build is a clean PVB_ENOLIB error ("this build has no zstd support").
ZSTD     ?= 1
ifeq ($(ZSTD),0)
CPPFLAGS += -DPVB_WITH_ZSTD=0
COMPRESS_LIBS := -lz
else
CPPFLAGS += -DPVB_WITH_ZSTD=1
COMPRESS_LIBS := -lz -lzstd
endif
# The programs link no library but libc: zlib, libzstd and ncurses are dlopen()ed when a
# compressed cluster or the interactive menu needs them (ref/util/dl.h; `readelf -n`
# lists them in .note.dlopen). Only the unit suites' image builders, which compress,
# link the compression libraries. dlopen() is in libc from glibc 2.34; before, in libdl.
DL_LIBS  ?= $(shell v=$$(getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc 2\.\([0-9]*\).*/\1/p'); \
              [ -n "$$v" ] && [ "$$v" -lt 34 ] && echo -ldl)
LIBS     := $(DL_LIBS)

P4_FLAGS := -m32 -march=pentium4 -mtune=pentium4
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# Tests ask the allocator for absurd sizes on purpose: that must fail with NULL, not abort.
export ASAN_OPTIONS := allocator_may_return_null=1:detect_leaks=1
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

# ---- library ---------------------------------------------------------------
LIB_DIRS := ref/util ref/disk ref/part ref/vol ref/fs ref/cfg ref/boot
LIB_SRC  := $(wildcard $(addsuffix /*.c,$(LIB_DIRS)))
LIB      := $(BUILD)/libpvboot.a

# ---- the pvboot command: ref/cli, all but main.c in a library the unit suites link too ----
CLI_SRC  := $(filter-out ref/cli/main.c,$(wildcard ref/cli/*.c))
CLI_LIB  := $(BUILD)/libpvbcli.a

# ---- programs: name, source folder, extra libraries --------------------------
PROGRAMS :=
define program
PROGRAMS += $(BUILD)/$(1)
$(BUILD)/$(1): $(call obj,$(wildcard $(2)/*.c)) $(LIB)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$(filter %.o,$$^) $(LIB) $(LIBS) $(3)
endef
# The corpus's own tools (the corpus rules depend on them): linked again when libpvboot.a
# changes, but the old file, and its time, kept when the bytes are the same. A commit
# changes util/version.o, which these tools do not use: it must not rebuild the corpus.
define corpus_tool
PROGRAMS += $(BUILD)/$(1)
$(BUILD)/$(1): $(call obj,$(2)) $(LIB)
	$$(CC) $$(ALL_LDFLAGS) -o $$@.new $$(filter %.o,$$^) $(LIB) $(LIBS)
	@if cmp -s $$@.new $$@; then rm -f $$@.new; else mv -f $$@.new $$@; fi
endef
PVBOOT := $(BUILD)/pvboot
PROGRAMS += $(PVBOOT)
$(PVBOOT): $(BUILD)/obj/ref/cli/main.o $(CLI_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(CLI_LIB) $(LIB) $(LIBS)
$(eval $(call program,pvdump,tools/dump,))
$(eval $(call corpus_tool,pvpayload,$(wildcard tools/payload/*.c)))
$(eval $(call program,pvcfg,tools/cfg,))
$(eval $(call program,pvxfsedit,tools/xfsedit,))
# ReiserFS images are filled by the unit suites' writer (suites/unit/reiserbuild.c).
$(eval $(call corpus_tool,pvreiseredit,tools/reiseredit/reiseredit.c suites/unit/reiserbuild.c))
# LVM2 PVs and LVs are written by the unit suites' builder (suites/unit/lvmbuild.c).
$(eval $(call corpus_tool,pvlvmbuild,tools/lvmbuild/lvmbuild.c suites/unit/lvmbuild.c))

# ---- pvconform: tools/conform, all but main.c in a library its unit suite links too ----
CONFORM_SRC := $(filter-out tools/conform/main.c,$(wildcard tools/conform/*.c))
CONFORM_LIB := $(BUILD)/libpvbconform.a
PROGRAMS += $(BUILD)/pvconform
$(BUILD)/pvconform: $(BUILD)/obj/tools/conform/main.o $(CONFORM_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(CONFORM_LIB) $(LIB) $(LIBS)
$(eval $(call corpus_tool,pvpoke,$(wildcard images/poke/*.c)))

# ---- libfsimage plugins (ref/compat/fsimage): stock pygrub reading through libpvboot ----
# The plugin code is also an archive, which the unit suites link with a stand-in
# loader. The plugins are libpvboot compiled again position-independent ($(BUILD)/pic,
# as libpvboot.so is), one shared object per driver exporting fsi_init_plugin only
# (so/exports.map), linked against the host's libxenfsimage; it has no 32-bit package,
# so they are built natively only, as the oracles are. $(BUILD)/fsimage is then a plugin
# directory for XEN_FSIMAGE_FSDIR: pvboot's own (one per ref/compat/fsimage/so/NAME.c:
# ext2fs, xfs, iso9660, ...) beside links to the host's other plugins, and
# $(BUILD)/pygrub-pvboot-fs runs the host's pygrub with it. The host's libxenfsimage is
# looked for when `make fsimage` runs, not when this file is read (ci/install-deps may
# install it in between): the fsimage target asks ref/compat/fsimage/xen-plugins and runs
# this Makefile again with XENFSIMAGE_LIBDIR set.
FSIMAGE_SRC := $(wildcard ref/compat/fsimage/*.c)
FSIMAGE_OWN := $(patsubst ref/compat/fsimage/so/%.c,%,$(wildcard ref/compat/fsimage/so/*.c))
FSIMAGE_LIB := $(BUILD)/libpvbfsimage.a
XENFSIMAGE_LIBDIR ?=
XENFSIMAGE_PLUGINS ?= $(XENFSIMAGE_LIBDIR)/xenfsimage
FSIMAGE_PEERS := $(addprefix $(BUILD)/fsimage/,$(filter-out $(FSIMAGE_OWN) ext2fs-lib,\
  $(notdir $(wildcard $(XENFSIMAGE_PLUGINS)/*))))
FSIMAGE := $(if $(XENFSIMAGE_LIBDIR),$(patsubst %,$(BUILD)/fsimage/%/fsimage.so,$(FSIMAGE_OWN)) \
  $(FSIMAGE_PEERS) $(BUILD)/pygrub-pvboot-fs)
PIC_LIB  := $(BUILD)/pic/libpvboot.a
pic = $(patsubst %.c,$(BUILD)/pic/%.o,$(1))
.SECONDARY: $(call pic,$(FSIMAGE_SRC) $(wildcard ref/compat/fsimage/so/*.c))

$(BUILD)/fsimage/%/fsimage.so: $(call pic,ref/compat/fsimage/so/%.c $(FSIMAGE_SRC)) $(PIC_LIB) \
  ref/compat/fsimage/so/exports.map
	@# a build dir from before a plugin existed has a link to the host's plugin there
	@[ ! -L $(@D) ] || rm -f $(@D)
	@mkdir -p $(@D)
	$(CC) -shared $(ALL_LDFLAGS) -Wl,-z,defs -Wl,--version-script=ref/compat/fsimage/so/exports.map \
	  -o $@ $(filter %.o,$^) $(PIC_LIB) $(LIBS) \
	  -L$(XENFSIMAGE_LIBDIR) -Wl,-rpath,$(XENFSIMAGE_LIBDIR) -lxenfsimage

$(FSIMAGE_PEERS):
	@mkdir -p $(@D)
	ln -sfn $(XENFSIMAGE_PLUGINS)/$(@F) $@

$(BUILD)/pygrub-pvboot-fs: ref/compat/fsimage/pygrub-pvboot-fs.sh
	cp $< $@
	chmod +x $@

# ---- libpvboot.so: the $(BUILD)/pic objects, exporting pvb_* only (ref/libpvboot.map) ----
# soname libpvboot.so.0; the real name carries VERSION's version when the file exists.
# SHARED=0 builds none (tcc's linker takes no version script).
SHARED   ?= 1
SOVERSION := 0
SOLIB_VERSION := $(or $(shell sed -n '1{s/^v//;p;}' VERSION 2>/dev/null),0.1.0)
SONAME   := libpvboot.so.$(SOVERSION)
SHLIB    := $(BUILD)/libpvboot.so.$(SOLIB_VERSION)
.PHONY: shlib
shlib: $(SHLIB)
$(SHLIB): $(PIC_LIB) ref/libpvboot.map
	$(CC) -shared $(ALL_LDFLAGS) -Wl,-soname,$(SONAME) -Wl,-z,defs -Wl,--version-script=ref/libpvboot.map \
	  -o $@ -Wl,--whole-archive $(PIC_LIB) -Wl,--no-whole-archive $(LIBS)
	ln -sfn $(@F) $(BUILD)/$(SONAME)
	ln -sfn $(SONAME) $(BUILD)/libpvboot.so

# ---- pvbench: tools/bench, all but main.c in a library its unit suite links too ----
BENCH_SRC := $(filter-out tools/bench/main.c,$(wildcard tools/bench/*.c))
BENCH_LIB := $(BUILD)/libpvbbench.a
PROGRAMS += $(BUILD)/pvbench
$(BUILD)/pvbench: $(BUILD)/obj/tools/bench/main.o $(BENCH_LIB) $(CONFORM_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BENCH_LIB) $(CONFORM_LIB) $(LIB) $(LIBS) -lm

# ---- oracles: test programs linking host libraries (libext2fs, ...) that have
# no 32-bit package; built natively only (the p4 build sets NO_ORACLES=1).
ORACLES :=
define oracle
ORACLES += $(BUILD)/$(1)
$(BUILD)/$(1): $(call obj,$(wildcard $(2)/*.c)) $(LIB)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$(filter %.o,$$^) $(LIB) $(LIBS) $(3)
endef
$(eval $(call oracle,ext2oracle,tools/ext2oracle,-lext2fs -lcom_err))
# libvhdi reads differencing vhds, which qemu-img cannot make; mkvhddiff makes them.
$(eval $(call oracle,vhdicat,suites/disk/vhdicat,-lvhdi))
$(eval $(call oracle,mkvhddiff,suites/disk/mkvhddiff,))

# ---- the fault sweep's tools (suites/fault): faultshim, an LD_PRELOAD library for
# whole-process faults, and faultrun. Native only, as the oracles (glibc's RTLD_NEXT, dladdr and
# backtrace; the p4 and tcc builds set NO_ORACLES=1), and never sanitised or instrumented
# (VFLAGS left out): it sits under the allocator of the program it runs in.
# faultrun runs and judges the thousands of faulted runs (a shell would spend more time
# starting processes than pvboot spends booting).
FAULTSHIM := $(BUILD)/faultshim.so $(BUILD)/faultrun
$(BUILD)/faultshim.so: suites/fault/faultshim.c $(FLAGS_STAMP)
	@$(if $(V),,echo "  CC  $@")
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(OPT) $(CFLAGS) -fPIC -shared -o $@ $< -ldl
# btrfspin.so pins the UUIDs and inode numbers mkfs.btrfs takes from the host (images/mkimage): native.
$(BUILD)/btrfspin.so: images/btrfspin/btrfspin.c $(FLAGS_STAMP)
	@$(if $(V),,echo "  CC  $@")
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(OPT) $(CFLAGS) -fPIC -shared -o $@ $< -ldl
$(BUILD)/faultrun: $(call obj,suites/fault/faultrun.c) $(CONFORM_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(CONFORM_LIB) $(LIB) $(LIBS)

# ---- unit suites (cmocka) and their shared helpers -----------------------------
UNIT_SRC  := $(wildcard suites/unit/test_*.c)
UNIT_HELP := $(filter-out $(UNIT_SRC),$(wildcard suites/unit/*.c))
UNIT_BIN  := $(patsubst suites/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

$(BUILD)/tests/%: $(BUILD)/obj/suites/unit/%.o $(call obj,$(UNIT_HELP)) $(CLI_LIB) $(BENCH_LIB) $(CONFORM_LIB) $(FSIMAGE_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(CLI_LIB) $(BENCH_LIB) $(CONFORM_LIB) $(FSIMAGE_LIB) $(LIB) -lcmocka $(LIBS) $(COMPRESS_LIBS) -lm

# ---- fuzz targets: libFuzzer entry points, replayed from files on any compiler ----
FUZZ_SRC  := $(wildcard suites/fuzz/fuzz_*.c)
FUZZ_NAMES := $(patsubst suites/fuzz/%.c,%,$(FUZZ_SRC))
REPLAY_BIN := $(patsubst %,$(BUILD)/fuzz-replay/%,$(FUZZ_NAMES))
# fuzz_boot builds its disks with the unit suites' in-memory image builders.
FUZZ_BUILDERS := suites/unit/extbuild.c suites/unit/imgbuild.c suites/unit/xfsbuild.c suites/unit/bootdisk.c \
  suites/unit/cfgmem.c
FUZZ_HELP := $(wildcard suites/fuzz/lib/*.c) $(FUZZ_BUILDERS)

$(BUILD)/fuzz-replay/%: $(BUILD)/obj/suites/fuzz/%.o $(BUILD)/obj/suites/fuzz/replay/replay.o $(call obj,$(FUZZ_HELP)) $(CONFORM_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(CONFORM_LIB) $(LIB) $(LIBS)

SEEDS_SRC := $(wildcard suites/fuzz/seeds/*.c)
$(BUILD)/mkseeds: $(call obj,$(SEEDS_SRC) $(UNIT_HELP)) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(LIBS) $(COMPRESS_LIBS)

# ---- compiling --------------------------------------------------------------
FLAGS_STAMP := $(BUILD)/flags.stamp
# -Werror is left out (it changes no object, only whether a warning stops the build, so
# make and make check share their objects).
FLAGS_NOW := $(CC) $(CPPFLAGS) $(filter-out -Werror,$(ALL_CFLAGS))
$(shell mkdir -p $(BUILD); [ "$$(cat $(FLAGS_STAMP) 2>/dev/null)" = "$(FLAGS_NOW)" ] || echo "$(FLAGS_NOW)" > $(FLAGS_STAMP))

# V=1 shows full command lines.
Q := $(if $(V),,@)

$(BUILD)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC  $(BUILD)/$<")
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(LIB): $(call obj,$(LIB_SRC))
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(CLI_LIB): $(call obj,$(CLI_SRC))
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(CONFORM_LIB): $(call obj,$(CONFORM_SRC))
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(BENCH_LIB): $(call obj,$(BENCH_SRC))
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(FSIMAGE_LIB): $(call obj,$(FSIMAGE_SRC))
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

# Position-independent, for libpvboot.so and the plugins; each one's version script
# (ref/libpvboot.map, ref/compat/fsimage/so/exports.map) says which symbols it exports.
$(BUILD)/pic/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC  $(BUILD)/pic/$<")
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fPIC $(DEPFLAGS) -c -o $@ $<

$(PIC_LIB): $(call pic,$(LIB_SRC))
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

-include $(shell find $(BUILD)/obj $(BUILD)/pic $(BUILD)/inst -name '*.d' 2>/dev/null)

# ---- the release string: VERSION, and git describe in a checkout (ci/version) ----
# Computed by a recipe at every make, never while this Makefile is parsed: ci/version
# rewrites the header only when the string changed, so only util/version.o (and what
# links it) is rebuilt then, and an installed or tarball build names its release.
# Another object directory compiling ref/util/version.c needs these two lines too.
VERSION_H := $(BUILD)/gen/pvb_version.h
$(VERSION_H): FORCE
	@mkdir -p $(@D)
	$(Q)sh ci/version --header $@
$(call obj,ref/util/version.c) $(call pic,ref/util/version.c): $(VERSION_H)
$(call obj,ref/util/version.c) $(call pic,ref/util/version.c): CPPFLAGS += -I$(BUILD)/gen
.PHONY: FORCE
FORCE:

# ---- targets ----------------------------------------------------------------
.PHONY: all lib conformlib programs oracles fsimage fsimage-so faultshim checkprogs unit replay check asan p4 tcc coverage fuzz deps clean conform report bench corpus corpus-pack boottest

# What a distribution builds: the library and the programs, with zlib's and zstd's headers
# (ZSTD=0: none; ncurses is only dlopen()ed); no test oracle (libext2fs, libvhdi, libxenfsimage).
all: lib programs $(FSIMAGE_LIB) $(if $(filter 1,$(SHARED)),shlib) instprogs
lib: $(LIB)
conformlib: $(CONFORM_LIB)
programs: $(PROGRAMS)
oracles: $(ORACLES)
faultshim: $(FAULTSHIM)
# What the suites need beyond that (make check builds it; the p4 and tcc builds set NO_ORACLES=1).
checkprogs: $(if $(NO_ORACLES),,oracles fsimage faultshim)
# The plugins need the host's libxenfsimage: found now (after deps), or none is built.
# $(PIC_LIB) first, so that make -j never has this make and the one below build it at once.
fsimage: $(PIC_LIB)
	@d=$$(sh ref/compat/fsimage/xen-plugins libdir $(XENFSIMAGE_LIBDIR)) || exit 1; \
	if [ -n "$$d" ]; then $(MAKE) XENFSIMAGE_LIBDIR="$$d" fsimage-so; \
	else echo "fsimage: no libxenfsimage.so here (Debian: libxenmisc4.17, from ci/install-deps): no plugins built"; fi
fsimage-so: $(FSIMAGE)
unit: $(UNIT_BIN)
replay: $(REPLAY_BIN) $(BUILD)/mkseeds

deps:
	@sh ci/install-deps

# Script suites: suites/<area>/*.test, run with PVB_BUILD (and PVB_P4 for the
# 32-bit comparison) in the environment.
SCRIPT_TESTS := $(sort $(wildcard suites/*/*.test))
# make check runs JOBS suites (and JOBS compilers) at once: one per processor. The suites
# that take longest go first, so that no processor is left with a long one at the end.
ifndef JOBS
JOBS := $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
endif
SLOW_TESTS := $(foreach t,corpus/corpus xfs/grub conform/corpus p4/corpus fault/sweep build/dist configs/grub-emu btrfs/oracle,\
  $(filter suites/$t.test,$(SCRIPT_TESTS)))
ASAN_BUILD := build/asan
P4_BUILD := build/p4
TCC_BUILD := build/tcc
# What make check and make report cost here, their wall time and the disk these hold
# (ci/cost; ci/readme-figures puts both in the README): make check writes its own line to
# $(BUILD)/check-cost at its end, make report copies it into REPORT.md beside its own.
CHECK_DIRS := $(BUILD) $(ASAN_BUILD) $(P4_BUILD) $(TCC_BUILD)

# make check builds and checks the corpus's sample (images/sample.awk: a third of it, every
# hand-written and hostile case, every pair of table, filesystem and format) to stay within
# 20 minutes; CHECK_CORPUS=all checks every image (make report runs pvboot on every one).
CHECK_CORPUS ?= sample

# Nothing here asks what is installed when this file is read: deps installs it first, and
# each step below finds what it needs when it runs (ci/check-fresh checks that).
check: export WERROR := 1
check: deps
	@sh ci/cost start $(BUILD)/check-start $(CHECK_DIRS)
	$(MAKE) -j$(JOBS) all checkprogs unit replay
	$(MAKE) -j$(JOBS) CORPUS_SET=$(CHECK_CORPUS) corpus
	$(MAKE) -j$(JOBS) BUILD=$(ASAN_BUILD) OPT="-O1 -g" VFLAGS="$(SAN_FLAGS)" SHARED=0 unit replay
	$(MAKE) -j$(JOBS) p4
	$(MAKE) -j$(JOBS) tcc
	$(ASAN_BUILD)/mkseeds $(ASAN_BUILD)/fuzz-seeds
	PVB_BUILD=$(BUILD) PVB_P4=$(P4_BUILD) PVB_TCC=$(TCC_BUILD) PVB_SEEDS=$(ASAN_BUILD)/fuzz-seeds \
	  PVB_CORPUS_SET=$(CHECK_CORPUS) suites/run-tests -l $(BUILD)/test.log -j $(JOBS) $(SLOW_TESTS) $(UNIT_BIN) \
	  $(patsubst $(BUILD)/%,$(ASAN_BUILD)/%,$(UNIT_BIN) $(REPLAY_BIN)) \
	  $(filter-out $(SLOW_TESTS),$(SCRIPT_TESTS)); \
	st=$$?; sh ci/cost line $(BUILD)/check-start "make check" $(CHECK_DIRS) > $(BUILD)/check-cost; \
	echo "check: what it cost, in $(BUILD)/check-cost (make report copies it):"; cat $(BUILD)/check-cost; exit $$st

asan:
	$(MAKE) BUILD=$(ASAN_BUILD) OPT="-O1 -g" VFLAGS="$(SAN_FLAGS)" SHARED=0 all unit replay
	$(ASAN_BUILD)/mkseeds $(ASAN_BUILD)/fuzz-seeds
	PVB_BUILD=$(ASAN_BUILD) PVB_SEEDS=$(ASAN_BUILD)/fuzz-seeds suites/run-tests -l $(ASAN_BUILD)/test.log \
	  $(patsubst $(BUILD)/%,$(ASAN_BUILD)/%,$(UNIT_BIN) $(REPLAY_BIN))

p4:
	@echo "p4: 32-bit build without zstd (no 32-bit libzstd package): a zstd-compressed qcow2 cluster is a PVB_ENOLIB error"
	$(MAKE) BUILD=$(P4_BUILD) VFLAGS="$(P4_FLAGS)" NO_ORACLES=1 ZSTD=0 all

# tcc writes no dependency files (DEPFLAGS=), so a header change would leave stale objects
# behind: it builds from scratch every time (a second or two). Its linker takes no version
# script: no libpvboot.so (SHARED=0).
tcc:
	rm -rf $(TCC_BUILD)
	$(MAKE) CC=tcc BUILD=$(TCC_BUILD) ZSTD=0 DEPFLAGS= NO_ORACLES=1 SHARED=0 all

coverage:
	$(MAKE) BUILD=build/cov OPT="-O0 -g" VFLAGS="--coverage" all checkprogs unit replay
	@find build/cov -name '*.gcda' -delete
	build/cov/mkseeds build/cov/fuzz-seeds
	-PVB_BUILD=build/cov PVB_SEEDS=build/cov/fuzz-seeds suites/run-tests -l build/cov/test.log \
	  $(patsubst $(BUILD)/%,build/cov/%,$(UNIT_BIN) $(REPLAY_BIN)) $(SCRIPT_TESTS)
	sh ci/coverage-report build/cov build/coverage $(LIB_DIRS) ref/compat/fsimage tools/conform tools/bench

FUZZ_BUILD := build/fuzz
FUZZ_TARGETS ?= $(FUZZ_NAMES)
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g" \
	  VFLAGS="-fsanitize=fuzzer-no-link,address,undefined" lib conformlib
	$(MAKE) replay
	$(BUILD)/mkseeds $(BUILD)/fuzz-seeds
	sh ci/fuzz $(FUZZ_BUILD) $(BUILD)/fuzz-seeds $(FUZZ_SECONDS) "$(LIBS)" "$(FUZZ_BUILDERS)" $(FUZZ_TARGETS)

CORPUS ?= $(BUILD)/corpus

# The corpus: images/mkcorpus expands the cases and writes one make rule per image,
# so only changed cases are rebuilt; -j is passed on to that make. The boot cases'
# kernel and initramfs are fetched into $(BUILD)/realboot on the way (images/realboot/fetch).
# make -n runs no mkcorpus: on a new tree there are no rules to show yet.
# CORPUS_SET=sample builds only make check's sample of it (images/sample.awk).
CORPUS_SET ?= all
corpus: $(BUILD)/pvpayload $(BUILD)/pvpoke $(BUILD)/pvreiseredit $(BUILD)/pvlvmbuild $(BUILD)/btrfspin.so
	PVB_BUILD=$(BUILD) sh images/mkcorpus $(CORPUS)
	@[ -f $(CORPUS)/rules.mk ] || { echo "corpus: no $(CORPUS)/rules.mk (images/mkcorpus writes it)"; exit 0; }; \
	  $(MAKE) -f $(CORPUS)/rules.mk PVB_BUILD=$(BUILD) $(if $(filter sample,$(CORPUS_SET)),corpus-sample,corpus-images)
	@sh images/corpus-stats $(CORPUS)

corpus-pack: corpus
	sh images/corpus-pack $(CORPUS) $(BUILD)/corpus.tar

# The conformance run. pvconform exits 1 when a result is unexpected; the
# report is written all the same (it lists them), so only 2+ stops make.
conform: all fsimage
	$(BUILD)/pvconform --corpus $(CORPUS) --json $(BUILD)/conform.json

# Like check, report installs what it needs first (the peers, qemu, the corpus's tools).
report: deps
	@sh ci/cost start $(BUILD)/report-start $(BUILD)
	$(MAKE) all fsimage
	$(if $(wildcard images/mkcorpus),$(MAKE) corpus,@echo "report: no images/mkcorpus here: $(CORPUS) as it is")
	$(BUILD)/pvconform --corpus $(CORPUS) --boot --json $(BUILD)/conform.json --report REPORT.md; \
	  st=$$?; [ $$st -le 1 ] || exit $$st
	@echo "report: REPORT.md and REPORT.svg written (results of every run: $(BUILD)/conform.json)"
	@if [ -f $(BENCH_OUT)/REPORT-bench.md ]; then \
	  for f in REPORT-bench.md REPORT-bench-p4.md; do \
	    [ -f $(BENCH_OUT)/$$f ] && { echo; cat $(BENCH_OUT)/$$f; } >> REPORT.md; done; \
	  cp $(BENCH_OUT)/REPORT-bench.svg REPORT-bench.svg; \
	  echo "report: the speed sections of $(BENCH_OUT) appended (make bench measures them again)"; \
	else echo "report: no speed section: make bench writes it"; fi
	@{ echo; echo "## Cost"; echo; \
	  echo "Wall time and the disk the build directory holds, on this machine; the Debian packages ci/install-deps installs first are not counted."; \
	  echo; sh ci/cost line $(BUILD)/report-start "make report" $(BUILD) || exit 1; \
	  if [ -f $(BUILD)/check-cost ]; then cat $(BUILD)/check-cost; \
	  else echo "- make check: not measured here yet (make check writes $(BUILD)/check-cost)"; fi; } >> REPORT.md
	@echo "report: its cost appended to REPORT.md"
	sh ci/readme-figures

# The benchmark (never part of make check: a benchmark is not a timed assertion). pvbench's
# realistic images (an 8 MiB kernel and a 60 MiB initrd on each filesystem variant) and the
# corpus's bootable cases; pvboot, its 32-bit build and every impl file's peer; niced.
BENCH_IMAGES := $(BUILD)/bench-images
BENCH_OUT := $(BUILD)/bench
BENCH_ARGS ?=
bench: all fsimage
	$(MAKE) p4
	sh tools/bench/mkimages.sh $(BUILD) $(BENCH_IMAGES)
	@mkdir -p $(BENCH_OUT)
	nice $(BUILD)/pvbench --corpus $(BENCH_IMAGES) \
	  $(if $(wildcard $(CORPUS)/*/*.expect),--corpus $(CORPUS) --exclude 'hostile/*') \
	  $(addprefix --impl-file ,$(wildcard tools/conform/impls/*) $(wildcard tools/bench/impls/*)) \
	  --json $(BENCH_OUT)/bench.json --report $(BENCH_OUT)/REPORT-bench.md $(BENCH_ARGS)
	nice $(P4_BUILD)/pvbench --corpus $(BENCH_IMAGES) --no-whole --quiet \
	  --json $(BENCH_OUT)/bench-p4.json --report $(BENCH_OUT)/REPORT-bench-p4.md > $(BENCH_OUT)/p4.txt
	@echo "bench: $(BENCH_OUT)/bench.json, REPORT-bench.md; the 32-bit build in-process: bench-p4.json, p4.txt, REPORT-bench-p4.md (make report includes both)"

# Real boots of every boot case for every implementation (tools/conform/boot.h):
# booted, booted-wrong-args or did-not-boot, each checked against the impl files.
boottest: all fsimage
	$(MAKE) corpus
	@[ ! -f $(BUILD)/realboot/UNAVAILABLE ] || echo "boottest: no boot cases: $$(cat $(BUILD)/realboot/UNAVAILABLE)"
	$(BUILD)/pvconform --corpus $(CORPUS) --boot-only --json $(BUILD)/boottest.json

# ---- install: GNU's directory variables (upper case), DESTDIR for a staging root ----
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
LIBEXECDIR ?= $(PREFIX)/libexec
INCLUDEDIR ?= $(PREFIX)/include
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
INSTALL    ?= install
INSTALL_PROGS := pvboot pvconform pvbench pvdump pvcfg
# The API's headers (ref/README.md's entry points) and what they include; installed as
# DIR/pvboot/LAYER/NAME.h, as they include each other ("util/ctx.h").
PUBLIC_HEADERS := ref/util/ctx.h ref/util/err.h ref/util/limit.h ref/util/budget.h ref/util/mem.h \
  ref/disk/disk.h ref/disk/format.h ref/part/part.h ref/vol/vol.h ref/fs/fs.h ref/cfg/cfg.h ref/boot/boot.h

# The installed pvconform and pvbench: main.c compiled again with DATADIR/pvboot/impls as
# the default --impl-dir; rebuilt when DATADIR changes.
INST_STAMP := $(BUILD)/inst/datadir.stamp
$(shell mkdir -p $(BUILD)/inst; [ "$$(cat $(INST_STAMP) 2>/dev/null)" = "$(DATADIR)" ] || echo "$(DATADIR)" > $(INST_STAMP))
INST_DEFS = -DCF_IMPL_DIR='"$(DATADIR)/pvboot/impls"'
.PHONY: instprogs install uninstall install-fsimage uninstall-fsimage dist distcheck
instprogs: $(BUILD)/inst/pvconform $(BUILD)/inst/pvbench
$(BUILD)/inst/%.o: tools/%/main.c $(FLAGS_STAMP) $(INST_STAMP)
	@$(if $(V),,echo "  CC  $@")
	$(Q)$(CC) $(CPPFLAGS) $(INST_DEFS) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<
$(BUILD)/inst/pvconform: $(BUILD)/inst/conform.o $(CONFORM_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(CONFORM_LIB) $(LIB) $(LIBS)
$(BUILD)/inst/pvbench: $(BUILD)/inst/bench.o $(BENCH_LIB) $(CONFORM_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BENCH_LIB) $(CONFORM_LIB) $(LIB) $(LIBS) -lm

# Programs, libpvboot (.so, .a, headers, libpvboot.pc), man pages, and under DATADIR/pvboot
# what pvconform needs in an installed tree: the impl files (pvboot's naming BINDIR/pvboot),
# the corpus's case files and generator (make-corpus, with pvpayload, pvpoke, pvreiseredit,
# pvlvmbuild and btrfspin.so in LIBEXECDIR/pvboot).
install: all $(BUILD)/btrfspin.so
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) \
	  $(DESTDIR)$(INCLUDEDIR)/pvboot $(DESTDIR)$(LIBEXECDIR)/pvboot $(DESTDIR)$(DATADIR)/pvboot/impls
	$(INSTALL) -m 755 $(BUILD)/pvboot $(BUILD)/pvdump $(BUILD)/pvcfg $(BUILD)/inst/pvconform \
	  $(BUILD)/inst/pvbench $(DESTDIR)$(BINDIR)
	$(INSTALL) -m 755 $(BUILD)/pvpayload $(BUILD)/pvpoke $(BUILD)/pvreiseredit $(BUILD)/pvlvmbuild \
	  $(BUILD)/btrfspin.so $(DESTDIR)$(LIBEXECDIR)/pvboot
	$(INSTALL) -m 644 $(LIB) $(DESTDIR)$(LIBDIR)
	$(if $(filter 1,$(SHARED)),$(INSTALL) -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR) && \
	  ln -sfn $(notdir $(SHLIB)) $(DESTDIR)$(LIBDIR)/$(SONAME) && \
	  ln -sfn $(SONAME) $(DESTDIR)$(LIBDIR)/libpvboot.so)
	for h in $(patsubst ref/%,%,$(PUBLIC_HEADERS)); do \
	  $(INSTALL) -d $(DESTDIR)$(INCLUDEDIR)/pvboot/$${h%/*} && \
	  $(INSTALL) -m 644 ref/$$h $(DESTDIR)$(INCLUDEDIR)/pvboot/$$h || exit 1; done
	sed -e 's|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(SOLIB_VERSION)|' \
	  -e 's|@LIBS@|$(strip $(LIBS))|' ref/libpvboot.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libpvboot.pc
	for f in man/*.[1-9]; do [ -f "$$f" ] || continue; \
	  $(INSTALL) -d $(DESTDIR)$(MANDIR)/man$${f##*.} && \
	  $(INSTALL) -m 644 "$$f" $(DESTDIR)$(MANDIR)/man$${f##*.} || exit 1; done
	tar -cf - --exclude=images/poke --exclude=images/make-corpus.in --exclude='*.test' images suites/configs | \
	  (cd $(DESTDIR)$(DATADIR)/pvboot && tar -xf - --no-same-owner)
	sed 's|@LIBEXECDIR@|$(LIBEXECDIR)|' images/make-corpus.in > $(DESTDIR)$(DATADIR)/pvboot/make-corpus
	chmod 755 $(DESTDIR)$(DATADIR)/pvboot/make-corpus
	for f in tools/conform/impls/*; do case $$(sed -n 's/^command: //p' "$$f") in \
	  build/pvboot) sed -e 's|^command: build/pvboot$$|command: $(BINDIR)/pvboot|' \
	    "$$f" > $(DESTDIR)$(DATADIR)/pvboot/impls/$${f##*/} ;; \
	  build/*) ;; \
	  *) $(INSTALL) -m 644 "$$f" $(DESTDIR)$(DATADIR)/pvboot/impls ;; esac || exit 1; done

# What install installed: the files by name, the pvboot folders whole.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(INSTALL_PROGS)) $(DESTDIR)$(LIBDIR)/libpvboot.a \
	  $(DESTDIR)$(LIBDIR)/libpvboot.so $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/$(notdir $(SHLIB)) \
	  $(DESTDIR)$(PKGCONFIGDIR)/libpvboot.pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/pvboot $(DESTDIR)$(LIBEXECDIR)/pvboot $(DESTDIR)$(DATADIR)/pvboot
	for f in man/*.[1-9]; do [ -f "$$f" ] || continue; \
	  rm -f $(DESTDIR)$(MANDIR)/man$${f##*.}/$${f##*/}; done

# The libfsimage plugins in the plugin directory of the host's Xen, in place of its xfs and
# ext2fs ones (diverted with dpkg-divert on Debian, so an upgrade keeps them); the
# directory beside the libxenfsimage.so that ref/compat/fsimage/xen-plugins finds, or
# XENFSIMAGE_LIBDIR's. uninstall-fsimage puts the host's back.
install-fsimage: fsimage
	DESTDIR=$(DESTDIR) sh ref/compat/fsimage/xen-plugins install $(BUILD)/fsimage $(XENFSIMAGE_LIBDIR)
uninstall-fsimage:
	DESTDIR=$(DESTDIR) sh ref/compat/fsimage/xen-plugins uninstall $(XENFSIMAGE_LIBDIR)

# The release tarball (ci/dist: git archive of HEAD and .tarball-version) in $(BUILD), and
# make check run in it unpacked outside git (ci/distcheck; make check's suites/build/dist.test
# builds it and runs some suites only).
dist:
	@sh ci/dist $(BUILD)
distcheck:
	t=$$(sh ci/dist $(BUILD)) && sh ci/distcheck "$$t"

clean:
	rm -rf build
