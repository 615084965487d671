import PDFDocument from 'pdfkit';
import type { ShippingAddress } from '../../domain/shipping/carrier.js';

export interface ShippingLabelContent {
  carrier: string;
  service: string;
  trackingNumber: string;
  from: ShippingAddress;
  to: ShippingAddress;
  weightGrams: number;
  createdAt: Date;
}

const INCH = 72;

const addressLines = (a: ShippingAddress) =>
  [a.name, a.address1, a.address2, `${a.city}, ${a.state} ${a.zip}`, a.country].filter((l): l is string => Boolean(l));

/**
 * A 4x6 inch thermal-printer label as PDF: sender, recipient, service, tracking number and a
 * bar pattern drawn from the tracking number's digits (a picture for people, not a scannable code).
 */
export async function shippingLabelPdf(label: ShippingLabelContent): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [4 * INCH, 6 * INCH],
    margin: 0.2 * INCH,
    // A fixed creation date keeps the file the same for the same label.
    info: { Title: `Label ${label.trackingNumber}`, Producer: 'orderops', Creator: 'orderops', CreationDate: label.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = 0.2 * INCH;
  const width = 3.6 * INCH;
  doc.font('Helvetica-Bold').fontSize(16).text(label.carrier.toUpperCase(), left, 0.2 * INCH, { width });
  doc.font('Helvetica').fontSize(11).text(label.service, { width });
  doc.fontSize(8).text('FROM', left, 0.95 * INCH);
  doc.fontSize(9).text(addressLines(label.from).join('\n'), { width });
  doc.moveTo(left, 1.9 * INCH).lineTo(left + width, 1.9 * INCH).stroke();
  doc.fontSize(8).text('SHIP TO', left, 2.0 * INCH);
  doc.font('Helvetica-Bold').fontSize(13).text(addressLines(label.to).join('\n'), { width });
  doc.font('Helvetica').fontSize(8).text(`${(label.weightGrams / 1000).toFixed(2)} kg`, left, 3.55 * INCH);
  doc.moveTo(left, 3.75 * INCH).lineTo(left + width, 3.75 * INCH).stroke();

  const digits = label.trackingNumber.replace(/\D/g, '') || '0';
  let x = left + 0.1 * INCH;
  for (const d of digits) {
    const n = Number(d);
    const bar = 1 + (n % 3);
    doc.rect(x, 3.95 * INCH, bar, 1.1 * INCH).fill('black');
    x += bar + 1 + (n % 2) * 2;
    if (x > left + width - 4) break;
  }
  doc.fillColor('black').font('Helvetica-Bold').fontSize(12).text(label.trackingNumber, left, 5.2 * INCH, { width, align: 'center' });
  doc.end();
  return done;
}
