// Recording a text in the browser: MediaRecorder codes the microphone in Opus at a speech rate (about
// 2 KB a second); the speaker listens back, then the form sends the clip as if it were a chosen file.
// Without this script (or a microphone) the form still takes a file.
(function () {
  "use strict";
  var form = document.getElementById("record-form");
  if (!form || !window.MediaRecorder || !navigator.mediaDevices || !window.DataTransfer) return;
  var types = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus"];
  var type = types.filter(function (t) { return MediaRecorder.isTypeSupported(t); })[0];
  if (!type) return;
  var box = form.querySelector(".recorder");
  var record = box.querySelector("[data-record]");
  var stop = box.querySelector("[data-stop]");
  var status = box.querySelector("[data-status]");
  var playback = box.querySelector("[data-playback]");
  var file = form.querySelector("input[type=file]");
  var recorder = null;
  box.hidden = false;

  record.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } })
      .then(function (stream) {
        var chunks = [];
        recorder = new MediaRecorder(stream, { mimeType: type, audioBitsPerSecond: 16000 });
        recorder.ondataavailable = function (event) { if (event.data.size) chunks.push(event.data); };
        recorder.onstop = function () {
          stream.getTracks().forEach(function (track) { track.stop(); });
          var kind = type.split(";")[0];
          var clip = new File(chunks, "clip." + kind.split("/")[1], { type: kind });
          var files = new DataTransfer();
          files.items.add(clip);
          file.files = files.files;
          form.querySelector("input[name=recorded]").value = "1";
          playback.src = URL.createObjectURL(clip);
          playback.hidden = false;
          status.textContent = box.getAttribute("data-done");
          record.disabled = false;
          stop.disabled = true;
        };
        recorder.start();
        status.textContent = box.getAttribute("data-recording");
        record.disabled = true;
        stop.disabled = false;
      })
      .catch(function () { status.textContent = box.getAttribute("data-denied"); });
  });
  stop.addEventListener("click", function () { if (recorder && recorder.state !== "inactive") recorder.stop(); });
  file.addEventListener("change", function () { form.querySelector("input[name=recorded]").value = "0"; });
})();
