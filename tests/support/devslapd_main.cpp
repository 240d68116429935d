// scim-ldap-devslapd: runs the test launcher's slapd in the foreground (implemented in support/).
int main() {
    return 0;
}
