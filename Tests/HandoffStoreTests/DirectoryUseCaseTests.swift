import Foundation
import HandoffCore
import HandoffTestSupport
import Testing
@testable import HandoffStore

/// Users, roles, queues and memberships: audited; users disabled, never deleted.
struct DirectoryUseCaseTests {
    @Test func changesAreAudited() throws {
        let fixture = try StoreFixture()
        let before = try fixture.store.read { try $0.auditCount() }
        try fixture.store.write { try $0.apply(.setRoles(user: "nina", roles: [.nurse, .supervisor]), by: fixture.admin, at: fixture.start) }
        let last = try fixture.store.read { try $0.auditLog() }.last!
        #expect(try fixture.store.read { try $0.auditCount() } == before + 1)
        #expect(last.entry.action == "user.set-roles")
        #expect(last.entry.actor == "ada")
        #expect(last.entry.detail == ["user": "nina", "roles": "nurse,supervisor"])
    }

    @Test func disabledUsersAreKeptAndRefused() throws {
        let fixture = try StoreFixture()
        try fixture.store.write { try $0.apply(.disableUser("cora"), by: fixture.admin, at: fixture.start) }
        #expect(throws: StoreError.disabledUser("cora")) { try fixture.actor("cora") }
        #expect(try fixture.store.read { try $0.user(named: "cora") }?.isDisabled == true)
        try fixture.store.write { try $0.apply(.enableUser("cora"), by: fixture.admin, at: fixture.start) }
        #expect(try fixture.actor("cora").name == "cora")
    }

    @Test func unknownUsersAreToldWhatFixesIt() throws {
        let fixture = try StoreFixture()
        #expect(throws: StoreError.unknownUser("mallory")) { try fixture.actor("mallory") }
        #expect(StoreError.unknownUser("mallory").description.contains("handoff users add mallory"))
    }

    @Test func onlyAdminsChangeTheDirectory() throws {
        let fixture = try StoreFixture()
        let sam = try fixture.actor("sam")
        #expect(throws: StoreError.directory(.notAdmin(user: "sam"))) {
            try fixture.store.write { try $0.apply(.addMember(queue: "lab", user: "sam"), by: sam, at: fixture.start) }
        }
    }

    @Test func bootstrapHappensOnceAndIsIdempotentForTheAdmin() throws {
        let fixture = try StoreFixture()
        #expect(try fixture.store.write { try $0.bootstrapAdmin(name: "ada", displayName: "Ada", origin: "local", at: fixture.start) } == false)
        #expect(throws: StoreError.self) {
            try fixture.store.write { try $0.bootstrapAdmin(name: "mallory", displayName: "M", origin: "local", at: fixture.start) }
        }
        #expect(try fixture.store.read { try $0.user(named: "mallory") } == nil)
    }
}
