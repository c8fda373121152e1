# Script mode: writes OUT, a JSON array of every DIR/*/list.json in name order,
# so that the binary carries all warninglists as one document.
file(GLOB lists LIST_DIRECTORIES false "${DIR}/*/list.json")
list(SORT lists)
file(WRITE ${OUT}.tmp "[")
set(separator "")
foreach(path IN LISTS lists)
  file(READ "${path}" content)
  file(APPEND ${OUT}.tmp "${separator}${content}")
  set(separator ",")
endforeach()
file(APPEND ${OUT}.tmp "]")
file(RENAME ${OUT}.tmp ${OUT})
