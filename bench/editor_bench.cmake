# Editor benchmark (bench/editor/): time to first diagnostics of
# varscope-clangd on a generated ~1,000-line model, with and without the
# varscope checks. Run with `ninja editor_bench`; figures in docs/editor.md.
if(TARGET varscope-clangd)
  add_custom_target(editor_bench
    COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/editor/ttfd.py
      --clangd $<TARGET_FILE:varscope-clangd>
      --include ${CMAKE_CURRENT_LIST_DIR}/../runtime/include --runs 7
    DEPENDS varscope-clangd
    USES_TERMINAL
    COMMENT "varscope-clangd: time to first diagnostics with / without varscope-*")
endif()
