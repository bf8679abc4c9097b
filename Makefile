# onvifd: an ONVIF device server on gSOAP.
#
#   make run        build, then start the server on the embedded default config
#   make test       unit + integration suites; last line "N passed, M failed"
#   make bench      throughput/latency benchmark (not a test)
#   make regenerate re-run wsdl2h on the pinned WSDLs (needs ONVIF_WSDL_DIR or network)
#   make check-generated   prove generated/ is what the pinned inputs produce
#   make format / format-check   apply / check the .clang-format style (CI checks)
#
# Variables: BUILD (output folder), SANITIZE=address,undefined (sanitizer
# build, own folder), CROSS=aarch64-linux-gnu (cross build, own folder),
# OPT (optimisation flags for our code). Deployment (docs/deployment.md):
# SIZE=1 (size-optimised build, own folder), SERVICES=core (bind only
# Device+Media+Events+Discovery, own folder), STATIC=1|mostly (link).
#   make cross-test     run the cross-built binary under qemu-user
#   make CROSS=… cross-test-full   every integration suite under qemu-user
#   make footprint      binary size and RSS figures (build/footprint.json)

BUILD ?= build$(if $(SANITIZE),-san)$(if $(CROSS),-$(CROSS))$(if $(filter core,$(SERVICES)),-core)$(if $(SIZE),-size)
PREFIX ?= /usr/local
DESTDIR ?=
ONVIF_WSDL_DIR ?= $(wildcard ../shared/onvif-wsdl)
export ONVIF_WSDL_DIR

CROSS ?=
CXX := $(if $(CROSS),$(CROSS)-g++,g++)
# Debian 12 has no <triplet>-pkg-config wrapper unless pkgconf's cross
# support is installed: point plain pkg-config at the multiarch folder.
PKG_CONFIG ?= $(if $(CROSS),$(if $(shell command -v $(CROSS)-pkg-config),$(CROSS)-pkg-config,PKG_CONFIG_LIBDIR=/usr/lib/$(CROSS)/pkgconfig:/usr/share/pkgconfig pkg-config),pkg-config)
STRIP := $(if $(CROSS),$(CROSS)-strip,strip)
SOAPCPP2 ?= soapcpp2
GSOAP_SHARE ?= /usr/share/gsoap
GSOAP_IMPORT := $(GSOAP_SHARE)/import
GSOAP_PLUGIN := $(GSOAP_SHARE)/plugin

GEN := $(BUILD)/gen
OBJ := $(BUILD)/obj
BIN := $(BUILD)/onvifd
UNIT_BIN := $(BUILD)/unit-tests

# soapcpp2: SOAP 1.2 (1.1 accepted on input), no lib/XML samples/WSDL output,
# serializers split into files of ~300 definitions so make -j compiles them
# in parallel and no single file needs gigabytes.
SOAPCPP2_FLAGS := -2 -L -x -w -f300
# SERVICES=core: soapcpp2 reads a wsdl2h header of only the Device, Media and
# Events WSDLs (scripts/gen-profile writes it into the build folder), so the
# other services' types and operations are never generated.
SERVICES ?= all
PROFILE_HDR := $(if $(filter core,$(SERVICES)),$(BUILD)/profile/onvif.h)
ONVIF_IMPORT := $(if $(PROFILE_HDR),$(BUILD)/profile:)wsdl/import:generated:$(GSOAP_IMPORT)

# ---- deployment: private cross sysroot (scripts/cross-sysroot), when present ----
SYSROOT ?= $(if $(CROSS),$(wildcard $(BUILD)/sysroot))
SYSROOT_LIBDIRS := $(if $(SYSROOT),$(SYSROOT)/usr/lib/$(CROSS) $(SYSROOT)/lib/$(CROSS))
SYSROOT_CFLAGS := $(if $(SYSROOT),-isystem $(SYSROOT)/usr/include/$(CROSS))
SYSROOT_LDFLAGS := $(foreach d,$(SYSROOT_LIBDIRS),-L$(d) -Wl,-rpath-link,$(d))
# ---- end deployment -------------------------------------------------------------
# The defines must match how Debian built libgsoapssl++ (pkg-config says).
GSOAP_CFLAGS := $(shell $(PKG_CONFIG) --cflags gsoapssl++ 2>/dev/null || echo -DWITH_IPV6 -DWITH_OPENSSL -DWITH_GZIP -DWITH_DOM)
GSOAP_LIBS := -lgsoapssl++ -lssl -lcrypto -lz
# deployment: 32-bit MIPS has no 8-byte atomic instructions, so the 64-bit
# std::atomic counters need libatomic there.
GSOAP_LIBS += $(if $(filter mips%,$(CROSS)),-latomic)

SAN_FLAGS := $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all)
# ---- deployment: size build (SIZE=1) -------------------------------------------
# No debug info; our code -Os with LTO. The generated serializers lose their
# unwind tables (a third of their size): nothing catches exceptions in this
# program, so one escaping a handler ends the process either way.
SIZE ?=
# They need no RTTI either (soapcpp2 dispatches on soap_type(), never on
# typeid or dynamic_cast): -fno-rtti drops a typeinfo object and its
# mangled name for each of the ~730 generated classes (~60 kB on aarch64).
# An existing size folder keeps its objects: rm -r BUILD/obj/gen to apply.
SIZE_GEN_FLAGS := $(if $(SIZE),-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-exceptions -fno-rtti)
# Our code catches no exception either (no try/catch anywhere: errors are
# return values, and an exception from the library, bad_alloc, ends the
# process with or without unwind tables), and uses no typeid or
# dynamic_cast. Dropping both saves ~100 kB on aarch64 (.eh_frame,
# .gcc_except_table, cleanup landing pads, typeinfo).
SIZE_OUR_FLAGS := $(SIZE_GEN_FLAGS)
DEBUG_FLAGS := $(if $(SIZE),,-g)
OPT ?= $(if $(SIZE),-Os -flto=auto,-O2)
# ---- end deployment -------------------------------------------------------------
COMMON_FLAGS := -std=c++17 $(DEBUG_FLAGS) -pthread -ffunction-sections -fdata-sections $(SAN_FLAGS) $(GSOAP_CFLAGS) $(SYSROOT_CFLAGS)
INCLUDES := -Isrc -Iplugins -I$(GEN) -I$(GSOAP_PLUGIN)
# Our code: strict. Generated code and gSOAP's plugin sources: relaxed, and
# optimised for size (they are most of the binary; the hot path is ours).
CXXFLAGS_OURS := $(COMMON_FLAGS) $(OPT) $(SIZE_OUR_FLAGS) -Wall -Wextra -Werror $(INCLUDES)
CXXFLAGS_GEN := $(COMMON_FLAGS) -Os $(SIZE_GEN_FLAGS) -w -DSOAP_H_FILE=wsddH.h $(INCLUDES)
SIZE_LDFLAGS := $(OPT) -Wl,-O1 -Wl,--as-needed
LDFLAGS += -pthread -Wl,--gc-sections $(SAN_FLAGS) $(if $(SIZE),$(SIZE_LDFLAGS)) $(SYSROOT_LDFLAGS)

# ---- deployment: static linking (STATIC=1 all static, STATIC=mostly: only
# glibc shared). Debian ships the .a of gSOAP, OpenSSL and zlib for every arch.
STATIC ?=
ifeq ($(STATIC),1)
LDFLAGS += -static
else ifeq ($(STATIC),mostly)
LDFLAGS += -static-libstdc++ -static-libgcc
GSOAP_LIBS := -Wl,-Bstatic $(GSOAP_LIBS) -Wl,-Bdynamic -ldl
endif
# SIZE=1 on aarch64 and x86-64 links with lld when it is installed (Debian
# package lld), for two things GNU ld 2.40 cannot do on aarch64:
#   --pack-dyn-relocs=relr  DT_RELR relative relocations: a PIE's vtables,
#       typeinfo and soapcpp2's dispatch tables need ~10,800 of them, 24 bytes
#       each as RELA (260 kB of .rela.dyn on aarch64), a few kB as RELR.
#       Needs glibc >= 2.36 on the target (Debian 12). lld 14 does not add
#       the GLIBC_ABI_DT_RELR version need that glibc insists on;
#       src/platform/dt_relr_mark.c does. RELR=0 for an older glibc.
#   lld cannot read GCC's LTO objects, so our code is first LTO-compiled
#       into one relocatable object (g++ -r; -flto-partition=one avoids a
#       GCC 12 ICE in the partitioner), which lld then links with
#       --gc-sections as before. LLD=0 keeps GNU ld.
LLD ?= 1
RELR ?= $(if $(filter 1,$(STATIC)),0,1)
SIZE_LLD := $(if $(SIZE),$(if $(filter 1,$(LLD)),$(if $(filter aarch64% x86_64%,$(or $(CROSS),$(shell uname -m))),$(shell command -v ld.lld))))
comma := ,
RELR_FLAGS := -Wl$(comma)--pack-dyn-relocs=relr
SIZE_LLD_FLAGS := -B$(BUILD)/lld -fuse-ld=lld $(if $(filter 1,$(RELR)),$(RELR_FLAGS))
# The link flags are remembered so that changing STATIC or SIZE relinks.
LINK_STAMP := $(BUILD)/link-flags
# ---- end deployment -------------------------------------------------------------

# Goals that must work before gSOAP is installed or generated code exists.
NO_BUILD_GOALS := setup clean distclean regenerate check-generated help format format-check
ifneq ($(filter-out $(NO_BUILD_GOALS),$(or $(MAKECMDGOALS),all)),)
-include $(GEN)/sources.mk
$(shell mkdir -p $(BUILD) && echo '$(CXX) $(LDFLAGS) $(GSOAP_LIBS)$(if $(SIZE_LLD), lld $(SIZE_LLD_FLAGS))' | cmp -s - $(LINK_STAMP) || echo '$(CXX) $(LDFLAGS) $(GSOAP_LIBS)$(if $(SIZE_LLD), lld $(SIZE_LLD_FLAGS))' >$(LINK_STAMP))
endif

.PHONY: all setup run test unit-test integration-test bench clean distclean \
        regenerate check-generated install help format format-check sanitize-test

all: $(BIN)

help:
	@sed -n '1,/^$$/p' Makefile

# --- set-up -----------------------------------------------------------------
# Installs missing Debian packages (as root) or prints the apt command.
# A cross build falls back to a private sysroot (scripts/cross-sysroot) when
# multiarch cannot install the target's libraries (deployment).
$(BUILD)/.deps-ok: scripts/install-deps
	@scripts/install-deps $(if $(SIZE),--size) $(if $(CROSS),--cross $(CROSS)) $(if $(CROSS),|| { echo "falling back to a private sysroot in $(BUILD)/sysroot"; scripts/cross-sysroot $(CROSS) $(BUILD)/sysroot; })
	@mkdir -p $(BUILD) && touch $@

setup: $(BUILD)/.deps-ok

# --- generated code -----------------------------------------------------------
# soapcpp2 runs on the committed wsdl2h header into the build folder.
# sources.mk lists the files it wrote; make re-reads it (GNU make restarts
# after rebuilding an included makefile), so -f's file count is never hard-coded.
$(GEN)/sources.mk: generated/onvif.h $(PROFILE_HDR) wsdl/onvif_module.h wsdl/wsdd_module.h wsdl/import/wsa5.h \
                   scripts/gen-operations | $(BUILD)/.deps-ok
	@rm -rf $(GEN) && mkdir -p $(GEN)
	$(SOAPCPP2) $(SOAPCPP2_FLAGS) -q gsoap_onvif -d $(GEN) -I $(ONVIF_IMPORT) wsdl/onvif_module.h >$(GEN)/soapcpp2-onvif.log 2>&1 || { cat $(GEN)/soapcpp2-onvif.log; exit 1; }
	$(SOAPCPP2) $(SOAPCPP2_FLAGS) -p wsdd -d $(GEN) -I $(GSOAP_IMPORT) wsdl/wsdd_module.h >$(GEN)/soapcpp2-wsdd.log 2>&1 || { cat $(GEN)/soapcpp2-wsdd.log; exit 1; }
	scripts/gen-operations $(GEN)/gsoap_onvifStub.h $(GEN)/operations.cpp
	@{ echo "GEN_SRCS := \\"; \
	   (cd $(GEN) && ls gsoap_onvifC*.cpp gsoap_onvifServer.cpp gsoap_onvifClient.cpp \
	                    wsddC*.cpp wsddServer.cpp wsddClient.cpp) | sed 's|^|  $(GEN)/|; s|$$| \\|'; \
	   echo ""; } >$@.tmp && mv $@.tmp $@

# The dispatch index of src/soap/dispatch.cpp: soap_serve_request's chain of
# comparisons, sorted (scripts/gen-dispatch).
$(GEN)/dispatch_table.inc: $(GEN)/sources.mk scripts/gen-dispatch
	scripts/gen-dispatch $(GEN)/gsoap_onvifServer.cpp $@
$(OBJ)/src/soap/dispatch.o: $(GEN)/dispatch_table.inc

# ---- deployment: service profile (SERVICES=core) ---------------------------------
# wsdl2h on the Device, Media and Events WSDLs only, same flags and typemap as
# scripts/regenerate; needs ONVIF_WSDL_DIR (../shared/onvif-wsdl) or network.
$(BUILD)/profile/onvif.h: scripts/gen-profile wsdl/services.list wsdl/typemap.dat
	scripts/gen-profile $(BUILD)/profile core
# ---- end deployment -------------------------------------------------------------

# gSOAP's own plugin sources, compiled against the global module's header;
# struct_timeval.c is the custom serializer wsse.h's SAML import asks for.
GSOAP_PLUGIN_SRCS := wsddapi.c wsaapi.c wsseapi.c smdevp.c mecevp.c threads.c httpda.c md5evp.c
GSOAP_PLUGIN_OBJS := $(GSOAP_PLUGIN_SRCS:%.c=$(OBJ)/gsoap-plugin/%.o) $(OBJ)/gsoap-plugin/struct_timeval.o
GEN_OBJS = $(patsubst $(GEN)/%.cpp,$(OBJ)/gen/%.o,$(GEN_SRCS))

$(OBJ)/gen/%.o: $(GEN)/%.cpp $(GEN)/sources.mk
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_GEN) -c $< -o $@

$(OBJ)/gsoap-plugin/%.o: $(GSOAP_PLUGIN)/%.c $(GEN)/sources.mk
	@mkdir -p $(@D)
	$(CXX) -x c++ $(CXXFLAGS_GEN) -c $< -o $@

$(OBJ)/gsoap-plugin/struct_timeval.o: $(GSOAP_SHARE)/custom/struct_timeval.c $(GEN)/sources.mk
	@mkdir -p $(@D)
	$(CXX) -x c++ $(CXXFLAGS_GEN) -I$(GSOAP_SHARE) -c $< -o $@

$(BUILD)/libgenerated.a: $(GEN_OBJS) $(GSOAP_PLUGIN_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# --- our code -------------------------------------------------------------------
# Everything under src/ except main.cpp is a library the tests link too.
SRCS := $(shell find src plugins -name '*.cpp' ! -name main.cpp 2>/dev/null | sort)
# SERVICES=core: handler files of services outside the profile would not
# compile (their types are not generated); the daemon leaves those services
# out at run time (services::operationBound).
CORE_ONLY_EXCLUDED := src/services/imaging_%.cpp src/services/deviceio_%.cpp src/services/media2_%.cpp src/services/ptz_service.cpp
SRCS := $(if $(filter core,$(SERVICES)),$(filter-out $(CORE_ONLY_EXCLUDED),$(SRCS)),$(SRCS))
OBJS := $(SRCS:%.cpp=$(OBJ)/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/*.cpp))
UNIT_OBJS := $(UNIT_SRCS:%.cpp=$(OBJ)/%.o)
DEPS := $(OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(OBJ)/src/main.d

$(OBJ)/%.o: %.cpp $(GEN)/sources.mk
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_OURS) -MMD -MP -c $< -o $@

# A handler is bound by defining the function soapcpp2 declares in
# gsoap_onvifStub.h; a misspelt name or a wrong signature would define a new
# function and leave the weak ActionNotSupported default bound. With
# -Wmissing-declarations (an error under -Werror) such a definition has no
# previous declaration and the build fails (docs/generated-code.md).
$(OBJ)/src/services/%.o: CXXFLAGS_OURS += -Wmissing-declarations

$(BUILD)/libonvifd.a: $(OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# The operation table's weak defaults must be linked as an object (not pulled
# from an archive on demand) so that every operation is always answered.
$(BIN): $(OBJ)/src/main.o $(BUILD)/libonvifd.a $(BUILD)/libgenerated.a $(OBJ)/gen/operations.o $(LINK_STAMP)
ifeq ($(SIZE_LLD),)
	$(CXX) $(LDFLAGS) -o $@ $(OBJ)/src/main.o $(OBJ)/gen/operations.o \
	  -Wl,--whole-archive $(BUILD)/libonvifd.a -Wl,--no-whole-archive $(BUILD)/libgenerated.a $(GSOAP_LIBS)
else
	@# Size link (see SIZE_LLD above): LTO of our code into one object, then lld.
	@mkdir -p $(BUILD)/lld && ln -sf $(SIZE_LLD) $(BUILD)/lld/ld.lld && ln -sf $(SIZE_LLD) $(BUILD)/lld/$(or $(CROSS),x86_64-linux-gnu)-ld.lld
	$(CXX) -r -nostdlib $(OPT) -flto-partition=one -flinker-output=nolto-rel -ffunction-sections -fdata-sections \
	  -o $(BUILD)/onvifd-lto.o $(OBJ)/src/main.o -Wl,--whole-archive $(BUILD)/libonvifd.a -Wl,--no-whole-archive
	$(if $(filter 1,$(RELR)),$(CXX) -x c -Os -fPIE -c src/platform/dt_relr_mark.c -o $(OBJ)/dt_relr_mark.o)
	$(CXX) $(filter-out -flto%,$(LDFLAGS)) $(SIZE_LLD_FLAGS) -o $@ $(BUILD)/onvifd-lto.o $(OBJ)/gen/operations.o \
	  $(if $(filter 1,$(RELR)),$(OBJ)/dt_relr_mark.o -Wl$(comma)-u$(comma)onvifd_dt_relr_mark) $(BUILD)/libgenerated.a $(GSOAP_LIBS)
endif

$(UNIT_BIN): $(UNIT_OBJS) $(BUILD)/libonvifd.a $(BUILD)/libgenerated.a $(OBJ)/gen/operations.o
	$(CXX) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(OBJ)/gen/operations.o \
	  -Wl,--whole-archive $(BUILD)/libonvifd.a -Wl,--no-whole-archive $(BUILD)/libgenerated.a $(GSOAP_LIBS)

-include $(DEPS)

# --- running and testing ----------------------------------------------------------
# The virtual camera: onvifd plus the reference stream server (docs/streaming.md).
$(BUILD)/.stream-deps-ok: scripts/install-deps
	@scripts/install-deps --stream
	@mkdir -p $(BUILD) && touch $@

run: $(BIN) $(BUILD)/.stream-deps-ok
	@BUILD=$(BUILD) scripts/run-camera

test: $(BIN) $(UNIT_BIN) $(BUILD)/.stream-deps-ok
	@BUILD=$(BUILD) scripts/run-tests

unit-test: $(UNIT_BIN)
	$(UNIT_BIN)

integration-test: $(BIN) $(BUILD)/.stream-deps-ok
	@BUILD=$(BUILD) scripts/run-tests --integration-only

sanitize-test:
	$(MAKE) test SANITIZE=address,undefined

# ---- deployment: benchmark (wrk + nginx from Debian; see scripts/bench) ----------
bench: $(BIN)
	@scripts/install-deps --bench
	@BUILD=$(BUILD) scripts/bench
# ---- end deployment -------------------------------------------------------------

# --- generation ---------------------------------------------------------------------
regenerate:
	scripts/regenerate

# Regenerates into a temporary folder and compares byte for byte.
check-generated:
	@tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	  WSDL_CACHE=$$tmp/cache scripts/regenerate $$tmp/out >/dev/null && \
	  diff -u generated/onvif.h $$tmp/out/onvif.h && diff -u generated/MANIFEST $$tmp/out/MANIFEST && \
	  echo "check-generated: generated/ matches the pinned inputs"

# ---- deployment: install, cross test, footprint ------------------------------------
# make install DESTDIR=/tmp/rootfs PREFIX=/usr installs the stripped binary,
# the commented default configuration (--print-default-config, run under
# qemu-user for a cross build), the systemd unit and the SysV/BusyBox script.
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
SBINDIR := $(PREFIX)/sbin
DOCDIR := $(PREFIX)/share/doc/onvifd
SYSTEMDDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
QEMU_ARCH := $(firstword $(subst -, ,$(CROSS)))
# How to run a binary of this build on this machine (qemu-user for CROSS).
# With Debian multiarch libc6:ARCH installed, qemu must use the host's root:
# `-L /usr/TRIPLET` would load the cross toolchain's ld.so (libc6-ARCH-cross)
# with multiarch's libc.so.6 (a different glibc build), and the first
# pthread_create then spins forever (seen with qemu 7.2, glibc 2.36).
RUN_TARGET := $(if $(CROSS),qemu-$(QEMU_ARCH)$(if $(wildcard /lib/$(CROSS)/libc.so.6),, -L /usr/$(CROSS))$(if $(SYSROOT), -E LD_LIBRARY_PATH=$(subst $(eval) ,:,$(abspath $(SYSROOT_LIBDIRS)))))
export RUN_TARGET
DIST_SUBST = sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g'

install: $(BIN)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SYSCONFDIR)/onvifd $(DESTDIR)$(SYSCONFDIR)/init.d \
	  $(DESTDIR)$(SYSTEMDDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/onvifd
	$(STRIP) $(DESTDIR)$(SBINDIR)/onvifd
	$(RUN_TARGET) $(BIN) --print-default-config >$(BUILD)/onvifd.conf
	@# An existing configuration is kept; the new default goes beside it.
	if [ -e $(DESTDIR)$(SYSCONFDIR)/onvifd/onvifd.conf ]; then \
	  install -m 0644 $(BUILD)/onvifd.conf $(DESTDIR)$(SYSCONFDIR)/onvifd/onvifd.conf.default; \
	else install -m 0644 $(BUILD)/onvifd.conf $(DESTDIR)$(SYSCONFDIR)/onvifd/onvifd.conf; fi
	$(DIST_SUBST) dist/onvifd.service.in >$(BUILD)/onvifd.service
	install -m 0644 $(BUILD)/onvifd.service $(DESTDIR)$(SYSTEMDDIR)/onvifd.service
	$(DIST_SUBST) dist/onvifd.init.in >$(BUILD)/onvifd.init
	install -m 0755 $(BUILD)/onvifd.init $(DESTDIR)$(SYSCONFDIR)/init.d/onvifd
	install -m 0644 docs/deployment.md $(DESTDIR)$(DOCDIR)/deployment.md

# The cross-built binary under qemu-user, over loopback (fails without it).
cross-test:
	cd tests/integration && ONVIFD_TEST_STRICT=1 CROSS_TRIPLETS="$(or $(CROSS),aarch64-linux-gnu)" /usr/bin/python3 -m unittest -v test_cross

# Every integration suite against the cross-built binary under qemu-user
# (slow: minutes), e.g. make CROSS=aarch64-linux-gnu SIZE=1 cross-test-full
CROSS_SUITES ?= $(filter-out test_cross test_install,$(basename $(notdir $(wildcard tests/integration/test_*.py))))
cross-test-full: $(BIN)
	@test -n "$(CROSS)" || { echo "cross-test-full: set CROSS=<triplet>"; exit 2; }
	printf '#!/bin/sh\nexec $(RUN_TARGET) $(abspath $(BIN)) "$$@"\n' >$(BUILD)/onvifd-qemu && chmod +x $(BUILD)/onvifd-qemu
	cd tests/integration && for suite in $(CROSS_SUITES); do \
	  ONVIF_WSDL_DIR=$(abspath $(ONVIF_WSDL_DIR)) ONVIFD=$(abspath $(BUILD))/onvifd-qemu ONVIFD_START_TIMEOUT=30 \
	    /usr/bin/python3 -m unittest $$suite || exit 1; done

# Sizes and RSS of the builds present (build/footprint.json); see scripts/footprint.
footprint:
	scripts/footprint

.PHONY: cross-test cross-test-full footprint
# ---- end deployment -------------------------------------------------------------

# Our C++ (never generated code) in the .clang-format style: `make format`
# rewrites it, `make format-check` (CI) fails on any difference.
FORMAT_FILES = $(shell find src plugins tests/unit \( -name '*.cpp' -o -name '*.hpp' \) -not -path '*/generated/*' | sort)

format: $(BUILD)/.format-deps-ok
	clang-format -i $(FORMAT_FILES)

format-check: $(BUILD)/.format-deps-ok
	@clang-format --dry-run -Werror $(FORMAT_FILES)
	@echo "format-check: $(words $(FORMAT_FILES)) files in the .clang-format style"

$(BUILD)/.format-deps-ok: scripts/install-deps
	@scripts/install-deps --format
	@mkdir -p $(BUILD) && touch $@

clean:
	rm -rf $(BUILD)

distclean:
	rm -rf build build-* wsdl/cache

# === transport: fuzzing and local HTTPS ===
#   make fuzz        every libFuzzer target for FUZZ_SECONDS (default 60) each,
#                    seeded from tests/fuzz/corpus and tests/data/client-captures;
#                    new crashes land in $(FUZZ_BUILD)/crashes/<target>/
#   make fuzz-smoke  the same for 10 s each (CI)
#   make run-https   as `make run`, plus HTTPS on 8443 with a self-signed
#                    certificate made on first use (scripts/make-dev-cert)
# Needs clang and libclang-rt-14-dev (scripts/install-deps --fuzz). Our code
# and the targets are built with clang + ASan/UBSan + coverage into
# $(FUZZ_BUILD); gSOAP's generated code is the g++ build's (same libstdc++).
FUZZ_BUILD ?= build-fuzz
FUZZ_CXX ?= clang++
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := request wsdd config settings filter
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CXXFLAGS := -std=c++17 -g -O1 -pthread $(GSOAP_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(INCLUDES) -Itests/fuzz
FUZZ_OBJS := $(SRCS:%.cpp=$(FUZZ_BUILD)/obj/%.o)
$(FUZZ_BUILD)/obj/src/soap/dispatch.o: $(GEN)/dispatch_table.inc
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz-%)
CAPTURES ?= tests/data/client-captures

.PHONY: fuzz fuzz-smoke fuzz-build run-https
# Objects reached only through the pattern rule would count as intermediate
# and be deleted after each link.
.SECONDARY: $(FUZZ_OBJS) $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/obj/tests/fuzz/fuzz_%.o) $(FUZZ_WSDD_GEN)

$(OBJ)/tests/unit/fuzz_regression_test.o: CXXFLAGS_OURS += -DONVIFD_SOURCE_DIR='"$(CURDIR)"'
$(OBJ)/tests/unit/push_client_test.o: CXXFLAGS_OURS += -DONVIFD_SOURCE_DIR='"$(CURDIR)"'

$(FUZZ_BUILD)/.deps-ok: scripts/install-deps
	@scripts/install-deps --fuzz
	@mkdir -p $(FUZZ_BUILD) && touch $@

$(FUZZ_BUILD)/obj/%.o: %.cpp $(GEN)/sources.mk | $(FUZZ_BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -MMD -MP -c $< -o $@

# The WS-Discovery deserializers are instrumented too (small, unlike the ONVIF
# module's), so the wsdd target gets coverage feedback from gSOAP's parse.
FUZZ_WSDD_GEN := $(patsubst $(GEN)/%.cpp,$(FUZZ_BUILD)/obj/gen/%.o,$(filter $(GEN)/wsddC_%,$(GEN_SRCS)))

$(FUZZ_BUILD)/obj/gen/%.o: $(GEN)/%.cpp $(GEN)/sources.mk | $(FUZZ_BUILD)/.deps-ok
	@mkdir -p $(@D)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -w -DSOAP_H_FILE=wsddH.h -c $< -o $@

$(FUZZ_BUILD)/fuzz-wsdd: $(FUZZ_BUILD)/obj/tests/fuzz/fuzz_wsdd.o $(FUZZ_WSDD_GEN) $(FUZZ_OBJS) $(BUILD)/libgenerated.a $(OBJ)/gen/operations.o
	$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer -pthread -o $@ $< $(FUZZ_WSDD_GEN) $(OBJ)/gen/operations.o \
	  -Wl,--whole-archive $(FUZZ_OBJS) -Wl,--no-whole-archive $(BUILD)/libgenerated.a $(GSOAP_LIBS)

$(FUZZ_BUILD)/fuzz-%: $(FUZZ_BUILD)/obj/tests/fuzz/fuzz_%.o $(FUZZ_OBJS) $(BUILD)/libgenerated.a $(OBJ)/gen/operations.o
	$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer -pthread -o $@ $< $(OBJ)/gen/operations.o \
	  -Wl,--whole-archive $(FUZZ_OBJS) -Wl,--no-whole-archive $(BUILD)/libgenerated.a $(GSOAP_LIBS)

-include $(wildcard $(FUZZ_BUILD)/obj/*/*.d $(FUZZ_BUILD)/obj/*/*/*.d $(FUZZ_BUILD)/obj/*/*/*/*.d)

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@scripts/fuzz-run --build $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS) --captures "$(CAPTURES)" $(FUZZ_TARGETS)

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=10
# The daemon from the same instrumented objects (ASan/UBSan/LeakSanitizer):
# ONVIFD=$(FUZZ_BUILD)/onvifd-asan runs any integration suite against it, e.g.
# to prove TLS paths free every SSL object (LeakSanitizer reports at exit).
$(FUZZ_BUILD)/onvifd-asan: $(FUZZ_BUILD)/obj/src/main.o $(FUZZ_OBJS) $(BUILD)/libgenerated.a $(OBJ)/gen/operations.o
	$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -pthread -o $@ $< $(OBJ)/gen/operations.o \
	  -Wl,--whole-archive $(FUZZ_OBJS) -Wl,--no-whole-archive $(BUILD)/libgenerated.a $(GSOAP_LIBS)

# Local HTTPS: a development certificate under $(BUILD)/dev-tls (never for a
# real camera) and a config that switches HTTPS on with it.
run-https: $(BIN)
	@scripts/make-dev-cert $(BUILD)/dev-tls
	@printf '[transport]\nhttps = true\nhttps_port = 8443\ncertificate = %s\nprivate_key = %s\n' \
	  $(CURDIR)/$(BUILD)/dev-tls/dev-cert.pem $(CURDIR)/$(BUILD)/dev-tls/dev-key.pem >$(BUILD)/dev-tls/onvifd-https.conf
	$(BIN) --foreground --config $(BUILD)/dev-tls/onvifd-https.conf
# === end of transport section ===
