import Foundation

/// How this `handoff` runs: as a developer's or evaluator's plain binary, or installed set-group-id with
/// its root-owned configuration.
public enum RunMode: Sendable {
    case development
    case installed(InstalledConfiguration, configurationFile: String)

    /// The mode of this process, decided once: installed when it runs set-group-id.
    public static let current: Result<RunMode, InstallationError> = {
        guard Privilege.isElevated else { return .success(.development) }
        let file = InstalledConfiguration.path(forBinary: Locations.runningBinary)
        return Result { () throws(InstallationError) in
            .installed(try InstalledConfiguration.load(from: file), configurationFile: file)
        }
    }()
}
