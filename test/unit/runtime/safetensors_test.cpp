// The safetensors reader and writer (runtime/src/safetensors.h): round trips,
// exact bytes, and the exact error for each kind of corruption.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "safetensors.h" // private to the runtime
#include "test_util.h"

namespace varscope {
namespace {

namespace st = safetensors;
using testing::expect_error;

std::string u64_le(std::uint64_t n) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xFF);
  return out;
}

/// A file with this exact header text and data buffer.
std::string file_with(const std::string& header, const std::string& data = "") {
  return u64_le(header.size()) + header + data;
}

template <class T> std::string bytes_of(std::initializer_list<T> values) {
  std::string out;
  for (T v : values) out.append(reinterpret_cast<const char*>(&v), sizeof v);
  return out;
}

st::Record numeric(std::string name, DType dtype, std::vector<std::int64_t> shape, std::string bytes) {
  st::Record r;
  r.name = std::move(name);
  r.dtype = dtype;
  r.shape = std::move(shape);
  r.bytes = std::move(bytes);
  return r;
}

st::Record strings(std::string name, std::vector<std::int64_t> shape, std::vector<std::string> values) {
  st::Record r;
  r.name = std::move(name);
  r.dtype = DType::String;
  r.shape = std::move(shape);
  r.strings = std::move(values);
  return r;
}

std::string temp_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(VARSCOPE_TEST_TMPDIR) / "safetensors" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

void parse_fails_with_value_error(const std::string& file, const std::string& message) {
  expect_error<ValueError>([&] { st::parse(file, "t.safetensors"); }, message);
}

const std::string kOneF32 = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";

// -- Writing -----------------------------------------------------------------

TEST(SafetensorsTest, TinyFileHasExactBytes) {
  st::Contents contents;
  contents.records.push_back(numeric("a", DType::Float32, {2}, bytes_of<float>({1.0f, 2.0f})));
  // 54 bytes of JSON + 2 spaces of padding = 56 = 0x38.
  const std::string expected = std::string("\x38\0\0\0\0\0\0\0", 8) +
                               R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})" + "  " +
                               std::string("\x00\x00\x80\x3f\x00\x00\x00\x40", 8);
  EXPECT_EQ(st::serialize(contents), expected);
}

TEST(SafetensorsTest, MetadataComesFirstAndHeaderIsPaddedToEightBytes) {
  st::Contents contents;
  contents.records.push_back(numeric("a", DType::Float32, {2}, bytes_of<float>({1.0f, 2.0f})));
  contents.metadata["k"] = "v";
  // 79 bytes of JSON + 1 space = 80 = 0x50.
  const std::string expected =
      std::string("\x50\0\0\0\0\0\0\0", 8) +
      R"({"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})" + " " +
      std::string("\x00\x00\x80\x3f\x00\x00\x00\x40", 8);
  EXPECT_EQ(st::serialize(contents), expected);
}

TEST(SafetensorsTest, EmptyFileIsAnEmptyObject) {
  EXPECT_EQ(st::serialize({}), u64_le(8) + "{}      ");
  EXPECT_EQ(st::parse(u64_le(2) + "{}", "t"), st::Contents{});
}

TEST(SafetensorsTest, TensorsArePlacedByDecreasingElementSizeThenName) {
  st::Contents contents;
  contents.records.push_back(numeric("a_u8", DType::UInt8, {3}, "\x01\x02\x03"));
  contents.records.push_back(numeric("b_i64", DType::Int64, {1}, bytes_of<std::int64_t>({7})));
  contents.records.push_back(numeric("c_f16", DType::Float16, {1}, bytes_of<std::uint16_t>({0x3C00})));
  contents.records.push_back(numeric("a_f64", DType::Float64, {1}, bytes_of<double>({0.5})));
  const std::string file = st::serialize(contents);
  std::uint64_t n = 0;
  std::memcpy(&n, file.data(), 8);
  ASSERT_EQ(file.size(), 8 + n + 21);
  const st::Header layout = st::parse_header(file.substr(8, n), 21, "t");
  std::vector<std::string> order;
  for (const st::TensorInfo& info : layout.tensors) order.push_back(info.name + "@" + std::to_string(info.begin));
  EXPECT_EQ(order, (std::vector<std::string>{"a_f64@0", "b_i64@8", "c_f16@16", "a_u8@18"}));
  EXPECT_EQ(n % 8, 0u);
}

TEST(SafetensorsTest, StringTensorIsStoredInMetadata) {
  st::Contents contents;
  contents.records.push_back(strings("s", {2}, {"x", "yz"}));
  const std::string file = st::serialize(contents);
  const std::string header = R"({"__metadata__":{"varscope.string:s":"{\"shape\":[2],\"encoding\":\"utf-8\",\"values\":[\"x\",\"yz\"]}"}})";
  ASSERT_EQ(header.size(), 105u); // padded with 7 spaces to 112
  EXPECT_EQ(file, u64_le(112) + header + "       ");
  EXPECT_EQ(st::parse(file, "t"), contents);
}

TEST(SafetensorsTest, NonUtf8StringsAreBase64) {
  st::Record r = strings("s", {3}, {std::string("\xff\x00", 2), "ab", ""});
  EXPECT_EQ(st::encode_string_entry(r), R"({"shape":[3],"encoding":"base64","values":["/wA=","YWI=",""]})");
  st::Contents contents;
  contents.records.push_back(r);
  EXPECT_EQ(st::parse(st::serialize(contents), "t"), contents);
}

TEST(SafetensorsTest, RoundTripsEveryDtype) {
  st::Contents contents;
  contents.records = {
      numeric("bf16", DType::BFloat16, {2}, bytes_of<std::uint16_t>({0x3F80, 0xC000})),
      numeric("bool", DType::Bool, {2, 2}, std::string("\x01\x00\x00\x01", 4)),
      numeric("empty", DType::Float32, {0, 3}, ""),
      numeric("f16", DType::Float16, {2}, bytes_of<std::uint16_t>({0x3C00, 0x7E00})),
      numeric("f32", DType::Float32, {2, 1}, bytes_of<float>({1.5f, -0.0f})),
      numeric("f64", DType::Float64, {}, bytes_of<double>({3.25})),
      numeric("i16", DType::Int16, {1}, bytes_of<std::int16_t>({-300})),
      numeric("i32", DType::Int32, {3}, bytes_of<std::int32_t>({1, -2, 3})),
      numeric("i64", DType::Int64, {1}, bytes_of<std::int64_t>({-(std::int64_t{1} << 40)})),
      numeric("i8", DType::Int8, {2}, bytes_of<std::int8_t>({-1, 127})),
      strings("str", {2, 1}, {"hello", "w\xc3\xb6rld"}),
      numeric("u16", DType::UInt16, {1}, bytes_of<std::uint16_t>({65535})),
      numeric("u8", DType::UInt8, {2}, std::string("\x00\xff", 2)),
  };
  contents.metadata = {{"format", "pt"}, {"note", "\xe2\x9c\x93"}};
  EXPECT_EQ(st::parse(st::serialize(contents), "t"), contents);

  const std::string path = temp_dir("every_dtype") + "/all.safetensors";
  st::write_file(path, contents);
  EXPECT_EQ(st::read_file(path), contents);
  EXPECT_EQ(st::read_file_bytes(path), st::serialize(contents));
}

TEST(SafetensorsTest, WriteReplacesAtomicallyAndLeavesNoTemporaryFile) {
  const std::string dir = temp_dir("atomic");
  st::write_file_atomic(dir + "/f", "old");
  st::write_file_atomic(dir + "/f", "new contents");
  EXPECT_EQ(st::read_file_bytes(dir + "/f"), "new contents");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename());
  EXPECT_EQ(names, std::vector<std::string>{"f"});
}

TEST(SafetensorsTest, WriteIntoMissingDirectoryRaisesIOError) {
  const std::string dir = temp_dir("missing") + "/nope";
  try {
    st::write_file_atomic(dir + "/f", "x");
    ADD_FAILURE() << "no exception";
  } catch (const IOError& e) {
    EXPECT_EQ(std::string(e.what()),
              dir + "/f: cannot create a temporary file in " + dir + ": No such file or directory");
  }
}

TEST(SafetensorsTest, SerializeRejectsInconsistentRecords) {
  st::Contents bad_size;
  bad_size.records.push_back(numeric("w", DType::Float32, {3}, bytes_of<float>({1, 2})));
  expect_error<ValueError>([&] { st::serialize(bad_size); },
                           "safetensors: tensor \"w\": shape [3] needs 12 bytes, got 8");
  st::Contents duplicate;
  duplicate.records = {numeric("w", DType::UInt8, {}, "\x01"), strings("w", {}, {"x"})};
  expect_error<ValueError>([&] { st::serialize(duplicate); }, "safetensors: tensor \"w\": the name appears twice");
  st::Contents reserved_name;
  reserved_name.records.push_back(numeric("__metadata__", DType::UInt8, {}, "\x01"));
  expect_error<ValueError>([&] { st::serialize(reserved_name); },
                           "safetensors: tensor \"__metadata__\": the name is reserved for the metadata");
  st::Contents reserved_key;
  reserved_key.metadata["varscope.string:x"] = "y";
  expect_error<ValueError>([&] { st::serialize(reserved_key); },
                           "safetensors: metadata key \"varscope.string:x\" uses the reserved prefix "
                           "\"varscope.string:\"");
  st::Contents string_count;
  string_count.records.push_back(strings("s", {2}, {"x"}));
  expect_error<ValueError>([&] { st::serialize(string_count); },
                           "safetensors: tensor \"s\": shape [2] needs 2 strings, got 1");
}

// -- Reading: every kind of corruption ----------------------------------------

TEST(SafetensorsTest, ReadsAFileWrittenByHand) {
  const st::Contents contents = st::parse(file_with(kOneF32 + "   ", bytes_of<float>({0.5f, 4.0f})), "t");
  ASSERT_EQ(contents.records.size(), 1u);
  EXPECT_EQ(contents.records[0], numeric("w", DType::Float32, {2}, bytes_of<float>({0.5f, 4.0f})));
}

TEST(SafetensorsTest, TooShortForTheLengthField) {
  expect_error<IOError>([] { st::parse("12345", "t.safetensors"); },
                        "t.safetensors: not a safetensors file: 5 bytes is shorter than the 8-byte header length");
}

TEST(SafetensorsTest, HeaderLengthPastTheEndOfTheFile) {
  expect_error<IOError>([] { st::parse(u64_le(100) + "{}", "t.safetensors"); },
                        "t.safetensors: truncated file: header length 100 exceeds the 2 bytes after the length field");
}

TEST(SafetensorsTest, AbsurdHeaderLengthIsRejectedBeforeAllocating) {
  parse_fails_with_value_error(u64_le(~std::uint64_t{0}) + "{}",
                               "t.safetensors: header length 18446744073709551615 exceeds the limit of 100000000 bytes");
}

TEST(SafetensorsTest, HeaderThatIsNotJson) {
  try {
    st::parse(file_with("{\"w\":"), "t.safetensors");
    ADD_FAILURE() << "no exception";
  } catch (const ValueError& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with("t.safetensors: header is not valid JSON: [json.exception.parse_error"))
        << e.what();
  }
}

TEST(SafetensorsTest, HeaderThatIsNotAnObject) {
  parse_fails_with_value_error(file_with("[1, 2]"), "t.safetensors: header must be a JSON object, got array");
}

TEST(SafetensorsTest, DuplicateTensorName) {
  const std::string entry = R"("w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]})";
  parse_fails_with_value_error(file_with("{" + entry + "," + entry + "}", "\x01"),
                               "t.safetensors: header has duplicate key \"w\"");
}

TEST(SafetensorsTest, DuplicateFieldInsideAnEntry) {
  parse_fails_with_value_error(
      file_with(R"({"w":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}})", "\x01"),
      "t.safetensors: header has duplicate key \"dtype\"");
}

TEST(SafetensorsTest, DeeplyNestedHeader) {
  parse_fails_with_value_error(file_with(std::string(100000, '[') + std::string(100000, ']')),
                               "t.safetensors: header nests deeper than 8 levels");
}

TEST(SafetensorsTest, EntryThatIsNotAnObject) {
  parse_fails_with_value_error(file_with(R"({"w":[1]})"),
                               "t.safetensors: tensor \"w\": entry must be a JSON object, got array");
}

TEST(SafetensorsTest, UnknownAndMissingFields) {
  parse_fails_with_value_error(
      file_with(R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"extra":0}})", "\x01"),
      "t.safetensors: tensor \"w\": unknown field \"extra\"");
  parse_fails_with_value_error(file_with(R"({"w":{"dtype":"U8","shape":[1]}})", "\x01"),
                               "t.safetensors: tensor \"w\": missing field \"data_offsets\"");
}

TEST(SafetensorsTest, BadDtypes) {
  parse_fails_with_value_error(file_with(R"({"w":{"dtype":4,"shape":[1],"data_offsets":[0,4]}})", "abcd"),
                               "t.safetensors: tensor \"w\": dtype must be a string, got number");
  parse_fails_with_value_error(file_with(R"({"w":{"dtype":"U32","shape":[1],"data_offsets":[0,4]}})", "abcd"),
                               "t.safetensors: tensor \"w\": unsupported dtype \"U32\"");
  parse_fails_with_value_error(file_with(R"({"w":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}})", "abcd"),
                               "t.safetensors: tensor \"w\": unsupported dtype \"f32\"");
}

TEST(SafetensorsTest, BadShapes) {
  parse_fails_with_value_error(file_with(R"({"w":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}})"),
                               "t.safetensors: tensor \"w\": shape must be an array of non-negative integers, got [-1]");
  parse_fails_with_value_error(file_with(R"({"w":{"dtype":"U8","shape":[1.0],"data_offsets":[0,1]}})", "\x01"),
                               "t.safetensors: tensor \"w\": shape must be an array of non-negative integers, got [1.0]");
  parse_fails_with_value_error(file_with(R"({"w":{"dtype":"U8","shape":2,"data_offsets":[0,2]}})", "ab"),
                               "t.safetensors: tensor \"w\": shape must be an array of non-negative integers, got 2");
  parse_fails_with_value_error(
      file_with(R"({"w":{"dtype":"U8","shape":[9223372036854775808],"data_offsets":[0,0]}})"),
      "t.safetensors: tensor \"w\": shape must be an array of non-negative integers, got [9223372036854775808]");
}

TEST(SafetensorsTest, ShapeWhoseElementCountOverflows) {
  parse_fails_with_value_error(
      file_with(R"({"w":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,0]}})"),
      "t.safetensors: tensor \"w\": shape [4294967296, 4294967296] has too many elements");
  // Fits in int64 elements, but not in bytes.
  parse_fails_with_value_error(
      file_with(R"({"w":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,0]}})"),
      "t.safetensors: tensor \"w\": shape [4611686018427387904] of dtype F64 has 4611686018427387904 elements, "
      "which do not fill data_offsets [0, 0] (0 bytes)");
}

TEST(SafetensorsTest, ZeroDimensionWinsOverHugeOnes) {
  const st::Contents c = st::parse(
      file_with(R"({"w":{"dtype":"U8","shape":[4294967296,0,4294967296],"data_offsets":[0,0]}})"), "t");
  EXPECT_EQ(c.records.at(0).shape, (std::vector<std::int64_t>{4294967296, 0, 4294967296}));
}

TEST(SafetensorsTest, BadDataOffsets) {
  parse_fails_with_value_error(file_with(R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[0]}})", "\x01"),
                               "t.safetensors: tensor \"w\": data_offsets must be an array of two non-negative "
                               "integers, got [0]");
  parse_fails_with_value_error(file_with(R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[-1,0]}})", "\x01"),
                               "t.safetensors: tensor \"w\": data_offsets must be an array of two non-negative "
                               "integers, got [-1,0]");
  parse_fails_with_value_error(file_with(R"({"w":{"dtype":"U8","shape":[0],"data_offsets":[1,0]}})", "\x01"),
                               "t.safetensors: tensor \"w\": data_offsets [1, 0] end before they begin");
}

TEST(SafetensorsTest, OffsetsPastTheEndOfTheBuffer) {
  parse_fails_with_value_error(file_with(kOneF32, bytes_of<float>({1.0f})),
                               "t.safetensors: tensor \"w\": data_offsets [0, 8] extend past the 4-byte data buffer");
}

TEST(SafetensorsTest, ElementCountThatDoesNotMatchTheByteLength) {
  parse_fails_with_value_error(file_with(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", "12345678"),
                               "t.safetensors: tensor \"w\": shape [3] of dtype F32 has 3 elements, which do not fill "
                               "data_offsets [0, 8] (8 bytes)");
}

TEST(SafetensorsTest, OverlappingTensors) {
  parse_fails_with_value_error(file_with(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                         R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                                         "12345678"),
                               "t.safetensors: tensor \"b\": data_offsets [4, 8] overlap tensor \"a\", which ends at 8");
}

TEST(SafetensorsTest, HoleBetweenTensors) {
  parse_fails_with_value_error(file_with(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                                         R"("b":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}})",
                                         "123"),
                               "t.safetensors: tensor \"b\": data_offsets [2, 3] leave a hole: bytes [1, 2) belong to "
                               "no tensor");
  parse_fails_with_value_error(file_with(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})", "12"),
                               "t.safetensors: tensor \"a\": data_offsets [1, 2] leave a hole: bytes [0, 1) belong to "
                               "no tensor");
}

TEST(SafetensorsTest, TrailingBytesAfterTheLastTensor) {
  parse_fails_with_value_error(file_with(kOneF32, "123456789"),
                               "t.safetensors: the tensors cover 8 bytes of the 9-byte data buffer");
}

TEST(SafetensorsTest, BadMetadata) {
  parse_fails_with_value_error(file_with(R"({"__metadata__":[]})"),
                               "t.safetensors: __metadata__ must be an object of strings, got array");
  parse_fails_with_value_error(file_with(R"({"__metadata__":{"k":1}})"),
                               "t.safetensors: __metadata__ value of \"k\" must be a string, got number");
}

TEST(SafetensorsTest, BoolElementThatIsNotZeroOrOne) {
  parse_fails_with_value_error(file_with(R"({"b":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}})", "\x01\x02"),
                               "t.safetensors: tensor \"b\": BOOL element 1 is 2, expected 0 or 1");
}

TEST(SafetensorsTest, BadStringTensors) {
  auto with_entry = [](const std::string& escaped_entry) {
    return file_with(R"({"__metadata__":{"varscope.string:s":")" + escaped_entry + "\"}}");
  };
  parse_fails_with_value_error(with_entry(R"({\"shape\":[2],\"encoding\":\"utf-8\",\"values\":[\"a\"]})"),
                               "t.safetensors: string tensor \"s\": shape [2] has 2 elements but values has 1");
  parse_fails_with_value_error(with_entry(R"({\"shape\":[1],\"encoding\":\"base64\",\"values\":[\"a\"]})"),
                               "t.safetensors: string tensor \"s\": values[0] is not valid base64");
  parse_fails_with_value_error(with_entry(R"({\"shape\":[1],\"encoding\":\"latin1\",\"values\":[\"a\"]})"),
                               "t.safetensors: string tensor \"s\": encoding must be \"utf-8\" or \"base64\", got "
                               "\"latin1\"");
  parse_fails_with_value_error(with_entry(R"({\"shape\":[1],\"encoding\":\"utf-8\",\"values\":[1]})"),
                               "t.safetensors: string tensor \"s\": values[0] is not a string");
  parse_fails_with_value_error(with_entry(R"({\"shape\":[1],\"values\":[\"a\"]})"),
                               "t.safetensors: string tensor \"s\": missing field \"encoding\"");
  parse_fails_with_value_error(with_entry("[1"), "t.safetensors: string tensor \"s\" is not valid JSON: "
                                                 "[json.exception.parse_error.101] parse error at line 1, column 3: "
                                                 "syntax error while parsing array - unexpected end of input; "
                                                 "expected ']'");
  parse_fails_with_value_error(
      file_with(R"({"__metadata__":{"varscope.string:s":"{\"shape\":[],\"encoding\":\"utf-8\",\"values\":[\"a\"]}"},)"
                R"("s":{"dtype":"U8","shape":[],"data_offsets":[0,1]}})",
                "\x01"),
      "t.safetensors: tensor \"s\": is both a tensor in the data buffer and a string tensor in __metadata__");
}

TEST(SafetensorsTest, ReadFileReportsMissingAndTruncatedFiles) {
  const std::string dir = temp_dir("read_errors");
  expect_error<IOError>([&] { st::read_file(dir + "/absent.safetensors"); },
                        dir + "/absent.safetensors: cannot open for reading: No such file or directory");
  {
    std::ofstream out(dir + "/short.safetensors", std::ios::binary);
    out << file_with(kOneF32, "1234");
  }
  expect_error<ValueError>([&] { st::read_file(dir + "/short.safetensors"); },
                           dir + "/short.safetensors: tensor \"w\": data_offsets [0, 8] extend past the 4-byte data "
                                 "buffer");
  expect_error<IOError>([&] { st::read_file(dir); }, dir + ": not a regular file");
}

} // namespace
} // namespace varscope
