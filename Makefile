# Thin wrapper around CMake. `make demo` and `make test` install what is
# missing (Debian/Ubuntu), configure, build and run.
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS ?= 2
CMAKE_FLAGS ?=
FUZZ_SECONDS ?= 60

.PHONY: all deps test-deps configure build demo test test-sanitize test-valgrind fuzz format clean

all: build

deps:
	@sh scripts/deps.sh build

test-deps:
	@sh scripts/deps.sh test

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@sh examples/demo.sh $(BUILD)/citeconv

test: test-deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCITECONV_WERROR=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@cd $(BUILD) && ctest -j $(JOBS) --output-on-failure

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer,
# with every arena allocation a real malloc. The pandoc comparison, which
# measures pandoc more than citeconv, runs in the plain suite only.
test-sanitize: test-deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCITECONV_WERROR=ON \
	  -DCITECONV_SANITIZE=address,undefined -DCITECONV_ARENA_DEBUG=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 ctest -j $(JOBS) --output-on-failure -E "bibtex/pandoc-agreement"

# The pathological-input suite under valgrind's memcheck (slow: half an
# hour or more); any invalid read or write fails the case.
test-valgrind: configure
	@sh scripts/deps.sh valgrind
	@cmake --build $(BUILD) -j $(JOBS)
	@CITECONV_PATHOLOGICAL_WRAPPER="valgrind -q --error-exitcode=99 --leak-check=no" \
	  CITECONV_PATHOLOGICAL_TIMEOUT=3600 python3 tests/pathological/run.py $(BUILD)/citeconv

# libFuzzer targets (clang); each runs FUZZ_SECONDS seconds from its seeds.
fuzz: test-deps
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCITECONV_FUZZ=ON -DCITECONV_SANITIZE=address,undefined $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
