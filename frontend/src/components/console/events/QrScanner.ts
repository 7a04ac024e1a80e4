// Reads QR codes from the camera: the browser's own BarcodeDetector where there is one,
// else ZXing (@zxing/browser), loaded only when needed so it stays in a chunk of its own.

interface DetectedBarcode {
  rawValue: string
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>
}
interface BarcodeDetectorCtor {
  new (options?: { formats?: string[] }): BarcodeDetectorLike
  getSupportedFormats?: () => Promise<string[]>
}

/** The browser's own detector, when it exists and reads QR codes (some platforms have none). */
async function nativeDetector(): Promise<BarcodeDetectorCtor | null> {
  const Detector = (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector
  if (!Detector) return null
  try {
    const formats = (await Detector.getSupportedFormats?.()) ?? ['qr_code']
    return formats.includes('qr_code') ? Detector : null
  } catch {
    return null
  }
}

export interface Scanner {
  stop: () => void
}

/** True when this browser can use a camera at all. */
export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia
}

/**
 * Starts the camera in `video` and calls `onCode` once with the first QR code read; the
 * camera is then stopped. Throws when the camera cannot be opened (refused, none there).
 */
export async function startScanner(video: HTMLVideoElement, onCode: (text: string) => void): Promise<Scanner> {
  const Detector = await nativeDetector()
  if (Detector) {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const stop = () => {
      stopped = true
      if (timer) clearTimeout(timer)
      stream.getTracks().forEach((t) => t.stop())
      video.srcObject = null
    }
    try {
      video.srcObject = stream
      await video.play()
    } catch (e) {
      stop()
      throw e
    }
    const detector = new Detector({ formats: ['qr_code'] })
    const tick = async () => {
      if (stopped) return
      try {
        const codes = await detector.detect(video)
        const text = codes.find((c) => c.rawValue)?.rawValue
        if (text && !stopped) {
          stop()
          onCode(text)
          return
        }
      } catch {
        // A frame that could not be read: try the next one.
      }
      if (!stopped) timer = setTimeout(() => void tick(), 200)
    }
    void tick()
    return { stop }
  }
  const { BrowserQRCodeReader } = await import('@zxing/browser')
  const reader = new BrowserQRCodeReader()
  let done = false
  const controls = await reader.decodeFromConstraints({ video: { facingMode: 'environment' }, audio: false }, video, (result, _error, c) => {
    if (!result || done) return
    done = true
    c.stop()
    onCode(result.getText())
  })
  return {
    stop: () => {
      done = true
      controls.stop()
    },
  }
}
