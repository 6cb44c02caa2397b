// GCC 13 emits a reference to std::ios_base_library_init() (GLIBCXX_3.4.32) from every
// translation unit that includes <iostream>; the function only guarantees that the standard
// streams are constructed. Older libstdc++ (GCC 12, Debian 12) lacks it, so this library
// provides the same guarantee for binaries built with GCC 13 and loaded on such systems.
#include <ios>

namespace std {
void ios_base_library_init() {
    static ios_base::Init streams_initialised;
}
}  // namespace std
