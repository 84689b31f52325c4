# The validator: the exact diagnostics and exit status of --check over
# every fixtures/check/ file, the output of --fix, SARIF output against
# the SARIF 2.1.0 structure, and man/citeconv-checks.7 in step with
# src/diag_codes.def.
file(GLOB check_fixtures RELATIVE ${CITECONV_SRC}
     ${CITECONV_SRC}/fixtures/check/*)
foreach(f IN LISTS check_fixtures)
  get_filename_component(name ${f} NAME)
  if(name MATCHES "^fix[.-]")
    # --fix while converting: the fixed records and one note per fix.
    add_test(NAME check/${name}
      COMMAND sh ${GOLDEN_SH} ${CITECONV_SRC}
        tests/golden/check/${name}.out tests/golden/check/${name}.check
        -- $<TARGET_FILE:citeconv> --fix -t csl-json ${f})
  else()
    # --check alone writes nothing to standard output.
    add_test(NAME check/${name}
      COMMAND sh ${GOLDEN_SH} ${CITECONV_SRC}
        tests/golden/check/empty.out tests/golden/check/${name}.check
        -- $<TARGET_FILE:citeconv> --check ${f})
  endif()
endforeach()

# Options of the checker: --disable, --enable, --strict, --list-checks.
add_test(NAME check/options
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/check/options.sh
    $<TARGET_FILE:citeconv>
  WORKING_DIRECTORY ${CITECONV_SRC})

add_test(NAME check/sarif
  COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/check/sarif.py
    $<TARGET_FILE:citeconv> ${CITECONV_SRC})

add_test(NAME check/man-codes
  COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/check/man_codes.py
    ${CITECONV_SRC})

citeconv_fuzz_target(validate fixtures/check)

# Several inputs are one list: a DOI of the second input was first seen in
# the first, and keys are compared within each input only.
add_test(NAME check/two-inputs
  COMMAND sh ${GOLDEN_SH} ${CITECONV_SRC}
    tests/golden/check/empty.out tests/golden/check/two-inputs.check
    -- $<TARGET_FILE:citeconv> --check fixtures/check/duplicate-doi.json
       fixtures/check/duplicate-doi.bib fixtures/check/duplicate-key.json
       fixtures/check/duplicate-key.ris)
