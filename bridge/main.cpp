// Entry point: parses the command line and runs one subcommand (bridge/cli).
#include <cstdio>

int main() {
    std::puts("scim-ldap-bridge: under construction");
    return 0;
}
