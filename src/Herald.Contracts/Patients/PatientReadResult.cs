using System.Diagnostics.CodeAnalysis;
using System.Text;
using Herald.Core.Patients;

namespace Herald.Contracts.Patients;

/// <summary>One problem with the input: where (a JSON path such as <c>metastaticRegimens[1].stop</c>) and what.</summary>
public sealed record InputError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The outcome of reading a patient: the patient, or every problem found, never both.</summary>
public sealed class PatientReadResult
{
    internal PatientReadResult(Patient? patient, DateOnly asOf, IReadOnlyList<InputError> errors)
    {
        Patient = errors.Count == 0 ? patient : null;
        AsOf = asOf;
        Errors = errors;
    }

    /// <summary>The validated patient; null when there is any error.</summary>
    public Patient? Patient { get; }

    /// <summary>The "now" of the decision: the input's assessmentDate, or today.</summary>
    public DateOnly AsOf { get; }

    /// <summary>Every problem found, in document order.</summary>
    public IReadOnlyList<InputError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Patient))]
    public bool IsValid => Patient is not null;

    /// <summary>One message naming every bad field, for a person to read.</summary>
    public string Describe()
    {
        if (IsValid)
        {
            return "The patient input is valid.";
        }

        var sb = new StringBuilder("Invalid patient input: ")
            .Append(Errors.Count)
            .Append(Errors.Count == 1 ? " problem." : " problems.");
        foreach (var error in Errors)
        {
            sb.Append("\n  - ").Append(error.Path).Append(": ").Append(error.Message);
        }

        return sb.ToString();
    }
}
