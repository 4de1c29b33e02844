import Foundation
import HandoffCore
import Testing

struct DirectoryTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func onlyAdminsChangeTheDirectory() throws {
        let cora = Actor(name: "cora", roles: [.coordinator, .supervisor])
        #expect(throws: DirectoryError.notAdmin(user: "cora")) {
            try Directory.authorize(.disableUser("nina"), by: cora, at: now)
        }
        let ada = Actor(name: "ada", roles: [.admin], origin: "ssh 192.0.2.7")
        let record = try Directory.authorize(.setRoles(user: "nina", roles: [.nurse, .supervisor]), by: ada, at: now)
        #expect(record.action == "user.set-roles")
        #expect(record.detail == ["user": "nina", "roles": "nurse,supervisor"])
        #expect(record.origin == "ssh 192.0.2.7")
    }

    @Test(arguments: ["Cora", "1cora", "", "cora smith", "c;rm", String(repeating: "a", count: 33)])
    func invalidNamesAreRefused(name: String) {
        let ada = Actor(name: "ada", roles: [.admin])
        #expect(throws: DirectoryError.invalidName(name)) {
            try Directory.authorize(.addUser(name: name, displayName: "X", roles: [.nurse]), by: ada, at: now)
        }
    }

    @Test func roleListsParse() throws {
        #expect(try Role.parseList("nurse, supervisor") == [.nurse, .supervisor])
        #expect(throws: DirectoryError.unknownRole("doctor")) { try Role.parseList("nurse,doctor") }
        #expect(throws: DirectoryError.noRoles) { try Role.parseList("") }
    }
}
