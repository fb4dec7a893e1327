// varscope/dtype.h - element types, mirroring tf.DType.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace varscope {

/// Element type of a tensor or variable. The constants below mirror TF's
/// names: `varscope::float32` is `tf.float32`.
enum class DType : std::uint8_t {
  Float16,
  BFloat16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  UInt8,
  UInt16,
  Bool,
  String,
};

inline constexpr DType float16 = DType::Float16;
inline constexpr DType bfloat16 = DType::BFloat16;
inline constexpr DType float32 = DType::Float32;
inline constexpr DType float64 = DType::Float64;
inline constexpr DType int8 = DType::Int8;
inline constexpr DType int16 = DType::Int16;
inline constexpr DType int32 = DType::Int32;
inline constexpr DType int64 = DType::Int64;
inline constexpr DType uint8 = DType::UInt8;
inline constexpr DType uint16 = DType::UInt16;
inline constexpr DType bool_ = DType::Bool;
inline constexpr DType string_ = DType::String;

/// TF's `dtype.name`: "float32", "int64", "bool", "string", ...
std::string_view dtype_name(DType dtype);
/// The inverse of dtype_name; nullopt for an unknown name.
std::optional<DType> dtype_from_name(std::string_view name);
/// TF's repr: "<dtype: 'float32'>".
std::string dtype_repr(DType dtype);
/// Bytes per element (strings: sizeof(std::string), they are not trivially
/// copyable and live in a separate array).
std::size_t dtype_size(DType dtype);
/// TF's DType.is_floating: float16, bfloat16, float32, float64.
bool is_floating(DType dtype);
/// Signed and unsigned integers (not bool).
bool is_integer(DType dtype);

/// Maps a C++ element type to its DType.
template <class T> struct dtype_of;
template <> struct dtype_of<float> { static constexpr DType value = DType::Float32; };
template <> struct dtype_of<double> { static constexpr DType value = DType::Float64; };
template <> struct dtype_of<std::int8_t> { static constexpr DType value = DType::Int8; };
template <> struct dtype_of<std::int16_t> { static constexpr DType value = DType::Int16; };
template <> struct dtype_of<std::int32_t> { static constexpr DType value = DType::Int32; };
template <> struct dtype_of<std::int64_t> { static constexpr DType value = DType::Int64; };
template <> struct dtype_of<std::uint8_t> { static constexpr DType value = DType::UInt8; };
template <> struct dtype_of<std::uint16_t> { static constexpr DType value = DType::UInt16; };
template <> struct dtype_of<bool> { static constexpr DType value = DType::Bool; };
template <> struct dtype_of<std::string> { static constexpr DType value = DType::String; };
template <class T> inline constexpr DType dtype_of_v = dtype_of<T>::value;

} // namespace varscope
