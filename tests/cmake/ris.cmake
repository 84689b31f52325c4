# RIS: reader goldens (records and diagnostics) for every fixture, writer
# goldens, round trips through RIS (markup left out) and through CSL-JSON, record counts,
# agreement with JabRef's and Zotero's expected output, CSL-JSON through
# RIS, Latin-1 and Windows-1252 input, line-end option, flat memory, fuzz
# seeds.
set(CITECONV_GOLDEN_EXCLUDE "")
citeconv_reader_golden(ris ris "*.ris")
set(CITECONV_GOLDEN_EXCLUDE "malformed-")
citeconv_writer_golden(ris ris "*.ris" ris)
# RIS text has no markup: the files whose text has some go round without
# it, in ris/roundtrip-markup.
set(CITECONV_GOLDEN_EXCLUDE "malformed-|citesource-dimensions-246|citesource-search5-495")
citeconv_roundtrip(ris ris "*.ris")
set(CITECONV_GOLDEN_EXCLUDE "")
add_test(NAME ris/roundtrip-markup
  COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/ris/roundtrip_markup.py
    $<TARGET_FILE:citeconv>
    ${CITECONV_SRC}/fixtures/ris/citesource-dimensions-246.ris
    ${CITECONV_SRC}/fixtures/ris/citesource-search5-495.ris)

add_test(NAME ris/record-count
  COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/ris/record_count.py
    $<TARGET_FILE:citeconv> ${CITECONV_SRC}/fixtures/ris)
add_test(NAME ris/peer-agreement
  COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/ris/peer_compare.py
    $<TARGET_FILE:citeconv> ${CITECONV_SRC}/fixtures/ris
    ${CMAKE_CURRENT_SOURCE_DIR}/ris/peer-disagreements.tsv)
add_test(NAME ris/legacy-charsets
  COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/ris/charsets.py
    $<TARGET_FILE:citeconv> ${CITECONV_SRC}/fixtures/ris)
add_test(NAME ris/eol-and-options
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/ris/eol.sh $<TARGET_FILE:citeconv>
  WORKING_DIRECTORY ${CITECONV_SRC})
add_test(NAME ris/from-csl-json
  COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/ris/from_csl_json.py
    $<TARGET_FILE:citeconv> ${CITECONV_SRC}/fixtures/csl-json)
add_test(NAME ris/via-csl-json
  COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/ris/via_csl_json.py
    $<TARGET_FILE:citeconv> ${CITECONV_SRC}/fixtures/ris)

citeconv_fuzz_target(ris fixtures/ris)

add_test(NAME ris/flat-memory
  COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/ris/flat_memory.py
    $<TARGET_FILE:citeconv> ${CITECONV_SRC}/fixtures/ris/zotero-RIS-case5.ris)
# The same with AD lines, which wait with the names for the end of each
# record.
add_test(NAME ris/flat-memory-affiliations
  COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/ris/flat_memory.py
    $<TARGET_FILE:citeconv>
    ${CITECONV_SRC}/fixtures/ris/handmade-affiliations.ris)
