import Foundation
import HandoffApp
import Testing

struct LocationsTests {
    @Test func defaultDatabaseFollowsXDGAndCanBeOverridden() {
        #expect(Locations(environment: ["HOME": "/home/cora"]).defaultDatabase == "/home/cora/.local/share/handoff/handoff.db")
        #expect(Locations(environment: ["HOME": "/home/cora", "XDG_DATA_HOME": "/data"]).defaultDatabase == "/data/handoff/handoff.db")
        #expect(Locations(environment: ["HOME": "/home/cora", "HANDOFF_DB": "/srv/handoff.db"]).defaultDatabase == "/srv/handoff.db")
    }

    @Test func demoLivesInTheStateDirectory() {
        #expect(Locations(environment: ["HOME": "/home/cora"]).demoDatabase == "/home/cora/.local/state/handoff/demo.db")
        #expect(Locations(environment: ["HOME": "/h", "XDG_STATE_HOME": "/state"]).demoDatabase == "/state/handoff/demo.db")
        #expect(Locations(environment: ["HOME": "/h", "XDG_STATE_HOME": "relative"]).demoDatabase == "/h/.local/state/handoff/demo.db")
    }

    @Test func sampleDataIsFoundAboveTheBinary() {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let found = Locations(environment: [:]).sampleData(executable: repository.appendingPathComponent(".build/debug/handoff").path)
        #expect(found == repository.appendingPathComponent("SampleData").path)
    }

    @Test func sshSessionsAreRecordedByClientAddress() {
        #expect(SystemIdentity.origin(environment: ["SSH_CONNECTION": "192.0.2.10 52144 192.0.2.1 22"]) == "ssh 192.0.2.10")
        #expect(SystemIdentity.origin(environment: ["SSH_CLIENT": "2001:db8::7 52144 22"]) == "ssh 2001:db8::7")
        #expect(SystemIdentity.origin(environment: [:]) == "local")
        #expect(SystemIdentity.origin(environment: ["SSH_CONNECTION": "\u{1B}[31m 1 2 3"]) == "ssh 31")
    }

    @Test func identityComesFromTheRealUserID() throws {
        let name = try SystemIdentity.currentUserName()
        #expect(!name.isEmpty)
        setenv("USER", "somebody-else", 1)
        setenv("LOGNAME", "somebody-else", 1)
        #expect(try SystemIdentity.currentUserName() == name)
    }
}
