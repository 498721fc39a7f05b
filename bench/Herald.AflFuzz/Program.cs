using Herald.Contracts;
using Herald.Contracts.Patients;
using Herald.Fhir;
using Herald.Knowledge;
using Herald.Server.CdsHooks;
using Herald.Server.Hosting;
using SharpFuzz;

// One AFL input through every JSON reader Herald exposes. The readers report bad input as errors; an exception that
// escapes any of them is the fault AFL looks for.
var knowledge = KnowledgeLoader.LoadEmbeddedOrThrow();
var today = new DateOnly(2026, 12, 31);
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    var bytes = buffer.ToArray();
    PatientJsonReader.Read(bytes, knowledge, today);
    CdsRequestValidator.Parse(bytes, CdsServiceCatalog.PatientView);
    CdsRequestValidator.Parse(bytes, CdsServiceCatalog.OrderSign);
    CdsRequestValidator.ParseFeedback(bytes);
    if (StrictJson.Check(bytes).Count == 0)
    {
        // As the server does: FHIR text is read only once the screen has passed it.
        FhirResourceSet.Parse(RequestBody.Text(bytes));
    }
});
