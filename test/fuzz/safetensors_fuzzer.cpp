// safetensors_fuzzer.cpp - libFuzzer target for the safetensors reader.
//
// Any input must either parse or throw varscope::IOError / ValueError; the
// sanitizers catch out-of-bounds reads, UB and absurd allocations. A file
// that parses must also survive a round trip: serialize(parse(x)) parses to
// the same contents, and serializing that again gives the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "safetensors.h"

namespace st = varscope::safetensors;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  st::Contents contents;
  try {
    contents = st::parse(input, "<fuzz>");
  } catch (const varscope::IOError&) {
    return 0;
  } catch (const varscope::ValueError&) {
    return 0;
  }
  const std::string written = st::serialize(contents); // must not throw for parsed contents
  const st::Contents reread = st::parse(written, "<round trip>");
  if (!(reread == contents)) std::abort();
  if (st::serialize(reread) != written) std::abort();
  return 0;
}
