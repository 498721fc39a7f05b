using System.Globalization;
using System.Text.RegularExpressions;

namespace Herald.Fhir.Model;

/// <summary>
/// FHIR date and dateTime values read as calendar dates. A dateTime keeps the date as written (its own
/// time zone), because the native input has no times. A partial date (year, or year and month) reads as
/// the first day of its period.
/// </summary>
internal static partial class FhirDate
{
    // FHIR R4's date/dateTime grammar (datatypes.html#dateTime) in ASCII digits only (.NET's \d also matches other
    // scripts' digits, such as full-width ２０２０), a time of day in range and a zone offset of at most 14:00. Two
    // tolerances: the seconds and the time zone may be left out (Herald keeps the calendar date as written).
    [GeneratedRegex(@"^(?<y>[0-9]{4})(-(?<m>[0-9]{2})(-(?<d>[0-9]{2})(T([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60)(\.[0-9]+)?)?(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out DateOnly date)
    {
        date = default;
        if (text is null)
        {
            return false;
        }

        var match = Pattern().Match(text); // no surrounding spaces: FHIR's grammar has none
        if (!match.Success)
        {
            return false;
        }

        var year = int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
        var month = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 1;
        var day = match.Groups["d"].Success ? int.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture) : 1;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>The date, or null when absent. Values were validated when the resource was added.</summary>
    public static DateOnly? Read(string? text) => TryParse(text, out var date) ? date : null;

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
