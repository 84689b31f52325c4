# CSL-JSON: reader goldens (with diagnostics), writer goldens, schema
# validity and byte-stable second passes, round trips, fuzz seeds.
set(CITECONV_GOLDEN_EXCLUDE "expected-zotero")
citeconv_reader_golden(csl-json csl-json "*.json")
citeconv_reader_golden(csl-ndjson csl-json "*.ndjson")
set(CITECONV_GOLDEN_EXCLUDE "expected-zotero|malformed-")
citeconv_writer_golden(csl-json csl-json "*.json" csl-json)
citeconv_writer_golden(csl-json csl-json "manubot-pandoc-bibliography.json" csl-ndjson)
citeconv_roundtrip(csl-json csl-json "*.json")

citeconv_glob_fixtures(csl_files csl-json "*.json")
foreach(f IN LISTS csl_files)
  get_filename_component(name ${f} NAME)
  add_test(NAME csl-json/stable/${name}
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/csl-json/stable.sh
      $<TARGET_FILE:citeconv> ${CITECONV_PYTHON}
      ${CITECONV_SRC}/fixtures/schema/csl-data.json ${f}
    WORKING_DIRECTORY ${CITECONV_SRC})
endforeach()
set(CITECONV_GOLDEN_EXCLUDE "")

citeconv_fuzz_target(csl_json fixtures/csl-json)

# The value tree's unit tests compare it with jansson's.
if(TARGET test_csl_json)
  target_include_directories(test_csl_json PRIVATE
    ${CMAKE_SOURCE_DIR}/formats/csl-json)
  target_link_libraries(test_csl_json PRIVATE PkgConfig::JANSSON)
endif()
