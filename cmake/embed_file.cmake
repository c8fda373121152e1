# Script mode: writes OUT, a C++ file defining NS::SYMBOL() over the bytes of IN.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#include <string_view>\nnamespace ${NS} {\nstatic const unsigned char data_[] = {${bytes} 0};\nstd::string_view ${SYMBOL}() { return {reinterpret_cast<const char*>(data_), ${len}}; }\n}\n")
