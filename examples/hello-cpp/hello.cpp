// Prints a few lines through iostream: needs libstdc++, libm, libgcc_s, libc and the loader.
#include <iostream>
#include <string>
#include <vector>

int main() {
    std::vector<std::string> words{"Hello", "from", "hello-cpp"};
    std::string line;
    for (const auto &w : words) line += (line.empty() ? "" : " ") + w;
    std::cout << line << " (libstdc++, dynamically linked)" << std::endl;
    return 0;
}
