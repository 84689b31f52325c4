# The online DOI check (--check --resolve) against a local stand-in for the
# DOI resolver, Crossref and DataCite (tests/resolve/server.py on
# 127.0.0.1): diagnostics, cache, retries, time budget. No test needs the
# internet. Without libcurl only the refusal of --resolve is tested.
if(CITECONV_HAVE_CURL)
  foreach(case refs-bib refs-json cache retry server-error budget malformed
               unreachable batches after-budget output-dir usage)
    add_test(NAME resolve/${case}
      COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/resolve/run.py
              $<TARGET_FILE:citeconv> ${CITECONV_SRC} ${case})
    set_tests_properties(resolve/${case} PROPERTIES TIMEOUT 120)
  endforeach()
else()
  add_test(NAME resolve/not-built
    COMMAND sh -c "\"$0\" --check --resolve \"$1\" 2>&1; test $? -eq 2"
            $<TARGET_FILE:citeconv> ${CITECONV_SRC}/fixtures/resolve/busy.bib)
endif()

# What servers send is read by code that a fuzz target runs too; its seeds
# are in tests/fuzz/corpus/resolve/.
citeconv_fuzz_target(resolve)
