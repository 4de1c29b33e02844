import Foundation

/// The independent FHIR validator, `scripts/validate-fhir.py` (the fhir.resources R4B models plus R4's
/// value sets), run with the `python3` on the PATH. `.ci/run` installs fhir.resources from PyPI.
public enum FHIRValidator {
    /// The script, found from this file's place in the repository.
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scripts/validate-fhir.py").standardized.path

    /// Whether `python3` can import the models; tests that need them run when it can, and always under
    /// `CI=true`, where nothing may skip.
    public static let available: Bool = {
        (try? CommandRun.run("/usr/bin/env", ["python3", "-c", "import fhir.resources.R4B.task"]).status) == 0
    }()

    /// The validator's verdict on the export in `file`: exit 0 and `valid: …` when valid.
    public static func validate(_ file: String) throws -> CommandResult {
        try CommandRun.run("/usr/bin/env", ["python3", script, file])
    }
}
