import Foundation

/// Compact relative times for lists: `45s`, `12m`, `3h`, `2d`.
public enum RelativeTime {
    /// The time from `start` to `end`, in its largest whole unit (negative with a leading minus).
    public static func format(from start: Date, to end: Date) -> String {
        let seconds = Int(end.timeIntervalSince(start).rounded(.towardZero))
        let sign = seconds < 0 ? "-" : ""
        let value = abs(seconds)
        switch value {
        case ..<60: return "\(sign)\(value)s"
        case ..<3_600: return "\(sign)\(value / 60)m"
        case ..<86_400: return "\(sign)\(value / 3_600)h"
        default: return "\(sign)\(value / 86_400)d"
        }
    }
}
