# pubmed-html and pubmed-text: reader golden files, round trips through
# the writer, the reference-string parser's accuracy, writer output
# checked with libxml2's HTML parser, a 5,000-reference page, fuzz seeds.
citeconv_reader_golden(pubmed-html pubmed-html "*.html")
citeconv_reader_golden(pubmed-text pubmed-text "*.txt")
foreach(glob "article-*.html" "legacy-*.html" "pmc-*.html" "search-*.html"
        "handmade-*.html" "malformed-truncated-*.html")
  citeconv_roundtrip(pubmed-html pubmed-html "${glob}")
endforeach()

# Accuracy of the reference-string parser against the truth the fixture
# pages carry (their link identifiers and Google Scholar look-up fields)
# and against hand-checked expectations in tests/refparse/.
add_executable(refparse_dump ${CMAKE_CURRENT_SOURCE_DIR}/refparse/refparse_dump.c)
target_include_directories(refparse_dump PRIVATE ${CMAKE_SOURCE_DIR}/src ${CITECONV_GEN})
target_link_libraries(refparse_dump PRIVATE citeconv_static)
add_test(NAME refparse/accuracy
  COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/refparse/accuracy.py
    $<TARGET_FILE:citeconv> ${CITECONV_SRC} $<TARGET_FILE:refparse_dump>)

# Writer output parses with libxml2's HTML parser without an error.
add_executable(pubmed_html_check ${CMAKE_CURRENT_SOURCE_DIR}/refparse/html_check.c)
target_link_libraries(pubmed_html_check PRIVATE PkgConfig::LIBXML2)
add_test(NAME pubmed-html/writer-valid
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/refparse/writer_valid.sh
    $<TARGET_FILE:citeconv> $<TARGET_FILE:pubmed_html_check>
  WORKING_DIRECTORY ${CITECONV_SRC})

# A page with 5,000 references, generated from a template.
add_test(NAME pubmed-html/large-page
  COMMAND ${CITECONV_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/refparse/large_page.py
    $<TARGET_FILE:citeconv>)
set_tests_properties(pubmed-html/large-page PROPERTIES TIMEOUT 60)

citeconv_fuzz_target(pubmed_html fixtures/pubmed-html)
citeconv_fuzz_target(pubmed_text fixtures/pubmed-text)
citeconv_fuzz_target(refparse fixtures/refstrings)

add_test(NAME pubmed-html/references-option
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/refparse/references_option.sh
    $<TARGET_FILE:citeconv>
  WORKING_DIRECTORY ${CITECONV_SRC})

# The writer's exact bytes for the page that tests escaping.
citeconv_writer_golden(pubmed-html pubmed-html "handmade-escaping.html" pubmed-html)
