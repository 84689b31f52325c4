# JATS: reader golden files, writer golden files, round trips (in an
# article wrapper, so that the article's own record goes back to <front>),
# reference counts, peer expectations (elife-tools), mixed-citation
# accuracy, writer element rules, security, flat memory, fuzz seeds.
citeconv_reader_golden(jats jats "*.xml")
citeconv_reader_golden(jats jats "*.nxml")

citeconv_writer_golden(jats jats "elife-00777.xml" jats --set jats-article=yes)
citeconv_writer_golden(jats jats "handmade-nested-mixed.xml" jats)
citeconv_writer_golden(jats jats "elife-tools-refs-content_27.xml" jats)

# Round trips: jats -> jats -> the same records. Left out: the malformed
# inputs (their data is partly not read, by design).
set(CITECONV_GOLDEN_EXCLUDE "malformed-")
citeconv_roundtrip(jats jats "*.xml" --set jats-article=yes)
citeconv_roundtrip(jats jats "*.nxml" --set jats-article=yes)
unset(CITECONV_GOLDEN_EXCLUDE)
# A bare reference list round-trips the fragments with no article.
file(GLOB jats_fragments RELATIVE ${CITECONV_SRC}
     ${CITECONV_SRC}/fixtures/jats/elife-tools-refs-*.xml)
foreach(f IN LISTS jats_fragments)
  get_filename_component(name ${f} NAME)
  add_test(NAME roundtrip-ref-list/jats/${name}
    COMMAND sh ${ROUNDTRIP_SH} $<TARGET_FILE:citeconv> jats ${f}
    WORKING_DIRECTORY ${CITECONV_SRC})
endforeach()

add_test(NAME jats/ref-count
  COMMAND ${CITECONV_PYTHON} ${CITECONV_SRC}/tests/jats/ref_count.py
    $<TARGET_FILE:citeconv>
  WORKING_DIRECTORY ${CITECONV_SRC})
add_test(NAME jats/elife-expected
  COMMAND ${CITECONV_PYTHON} ${CITECONV_SRC}/tests/jats/elife_expected.py
    $<TARGET_FILE:citeconv>
  WORKING_DIRECTORY ${CITECONV_SRC})
add_test(NAME jats/mixed-accuracy
  COMMAND ${CITECONV_PYTHON} ${CITECONV_SRC}/tests/jats/mixed_accuracy.py
    $<TARGET_FILE:citeconv>
  WORKING_DIRECTORY ${CITECONV_SRC})
# The same citations with their tags removed: the reference-string
# parser's figure is printed, not required.
add_test(NAME jats/mixed-accuracy-untagged
  COMMAND ${CITECONV_PYTHON} ${CITECONV_SRC}/tests/jats/mixed_accuracy.py
    $<TARGET_FILE:citeconv> --untagged
  WORKING_DIRECTORY ${CITECONV_SRC})
add_test(NAME jats/writer-valid
  COMMAND ${CITECONV_PYTHON} ${CITECONV_SRC}/tests/jats/writer_valid.py
    $<TARGET_FILE:citeconv>
  WORKING_DIRECTORY ${CITECONV_SRC})
set_tests_properties(jats/writer-valid PROPERTIES TIMEOUT 300)
add_test(NAME jats/security
  COMMAND sh ${CITECONV_SRC}/tests/jats/security.sh $<TARGET_FILE:citeconv>
  WORKING_DIRECTORY ${CITECONV_SRC})
set_tests_properties(jats/security PROPERTIES TIMEOUT 20)
if(EXISTS /usr/bin/time)
  add_test(NAME jats/big-file
    COMMAND sh ${CITECONV_SRC}/tests/jats/big_file.sh $<TARGET_FILE:citeconv>
    WORKING_DIRECTORY ${CITECONV_SRC})
  set_tests_properties(jats/big-file PROPERTIES TIMEOUT 120)
endif()

citeconv_fuzz_target(jats fixtures/jats)
