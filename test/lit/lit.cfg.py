# lit configuration for the varscope analyser's tests.
#   python3 /usr/lib/llvm-19/build/utils/lit/lit.py -v \
#     --param varscope=<build>/tool/varscope --param exec_root=<build>/test/lit test/lit
import os

import lit.formats

config.name = "varscope"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py"]
config.test_source_root = os.path.dirname(os.path.abspath(__file__))

root = os.path.abspath(os.path.join(config.test_source_root, "..", ".."))
varscope = lit_config.params.get("varscope", os.path.join(root, "build", "tool", "varscope"))
# Test outputs never go into the source tree.
config.test_exec_root = lit_config.params.get("exec_root", os.path.join(root, "build", "test", "lit"))
include_dir = lit_config.params.get("include", os.path.join(root, "runtime", "include"))
llvm_bin = lit_config.params.get("llvm_bin", "/usr/lib/llvm-19/bin")

# FileCheck and not come from llvm-19-tools.
config.environment["PATH"] = os.pathsep.join([llvm_bin, config.environment.get("PATH", os.environ.get("PATH", ""))])
config.substitutions.append(("%varscope", varscope))
# A project .varscope.yaml above the build directory must not change the
# tests; test/lit/config/ unsets this to test discovery.
config.environment["VARSCOPE_CONFIG"] = "none"
config.substitutions.append(("%include", include_dir))
config.substitutions.append(("%cxxflags", "-std=c++20 -I" + include_dir))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
