# `seg lsp` (compiler/lsp/): a scripted JSON-RPC client, Neovim as a real client, and the
# VS Code extension's package (tests/lsp/).
add_test(NAME lsp.protocol COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/lsp/test_protocol.py $<TARGET_FILE:seg>)
set_tests_properties(lsp.protocol PROPERTIES LABELS "lsp" TIMEOUT 120)
add_test(NAME lsp.neovim COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/lsp/neovim.sh $<TARGET_FILE:seg>)
set_tests_properties(lsp.neovim PROPERTIES LABELS "lsp;editor" TIMEOUT 90)
add_test(NAME lsp.vscode_package
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/lsp/vscode_package.sh ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}/vscode-extension)
set_tests_properties(lsp.vscode_package PROPERTIES LABELS "editor;heavy" TIMEOUT 600)
